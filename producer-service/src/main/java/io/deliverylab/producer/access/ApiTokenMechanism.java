package io.deliverylab.producer.access;

import io.deliverylab.contract.ApiToken;
import io.deliverylab.producer.config.ProducerSettings;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.credential.TokenCredential;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;

/**
 * Reads {@code Authorization: Bearer <token>} for the producer's protected operations; with no token
 * configured every caller is the operator, so a lab without one works as before.
 */
@ApplicationScoped
public class ApiTokenMechanism implements HttpAuthenticationMechanism {

    private static final SecurityIdentity OPEN = QuarkusSecurityIdentity.builder()
            .setPrincipal(new QuarkusPrincipal("anyone (no api-token configured)")).addRole(Operator.ROLE).build();

    private final boolean tokenRequired;

    ApiTokenMechanism(ProducerSettings settings) {
        this.tokenRequired = settings.apiToken().isPresent();
    }

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identities) {
        if (!tokenRequired) {
            return Uni.createFrom().item(OPEN);
        }
        String header = context.request().getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null) {
            return Uni.createFrom().nullItem(); // anonymous: a protected operation answers 401
        }
        String prefix = ApiToken.SCHEME + " ";
        if (!header.regionMatches(true, 0, prefix, 0, prefix.length()) || header.substring(prefix.length()).isBlank()) {
            return Uni.createFrom().failure(new AuthenticationFailedException("the Authorization header is not \"Bearer <token>\""));
        }
        String token = header.substring(prefix.length()).trim();
        return identities.authenticate(new TokenAuthenticationRequest(new TokenCredential(token, ApiToken.SCHEME)));
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", ApiToken.SCHEME + " realm=\"deliverylab\""));
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(TokenAuthenticationRequest.class);
    }
}
