package io.deliverylab.producer;

import io.deliverylab.producer.checkpoint.InvalidRunException;
import io.deliverylab.producer.checkpoint.NotReadyException;
import io.deliverylab.producer.ownership.InstanceFencedException;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.deliverylab.contract.Problem;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.deliverylab.contract.ApiToken;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.UnauthorizedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.stream.Collectors;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every client error leaves as problem+json, never as an HTML page or a stack trace. */
public class ProblemMappers {

    static Response problem(Response.Status status, String detail, String field) {
        return Response.status(status).type(Problem.MEDIA_TYPE)
                .entity(Problem.of(status.getStatusCode(), status.getReasonPhrase(), detail, field)).build();
    }

    @ServerExceptionMapper
    public Response invalidRun(InvalidRunException e) {
        return problem(Response.Status.BAD_REQUEST, e.getMessage(), e.field());
    }

    @ServerExceptionMapper
    public Response unknownRun(UnknownRunException e) {
        return problem(Response.Status.NOT_FOUND, e.getMessage(), null);
    }

    @ServerExceptionMapper
    public Response fenced(InstanceFencedException e) {
        return problem(Response.Status.SERVICE_UNAVAILABLE, e.getMessage(), null);
    }

    @ServerExceptionMapper
    public Response notReady(NotReadyException e) {
        return problem(Response.Status.SERVICE_UNAVAILABLE, e.getMessage(), null);
    }

    @ServerExceptionMapper
    public Response noToken(UnauthorizedException e) {
        return unauthorized("this operation needs the API token: Authorization: Bearer <token>");
    }

    @ServerExceptionMapper
    public Response wrongToken(AuthenticationFailedException e) {
        return unauthorized(e.getMessage() == null ? "the API token was not accepted" : e.getMessage());
    }

    private static Response unauthorized(String detail) {
        return Response.fromResponse(problem(Response.Status.UNAUTHORIZED, detail, "Authorization"))
                .header("WWW-Authenticate", ApiToken.SCHEME + " realm=\"deliverylab\"").build();
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException e) {
        return problem(Response.Status.NOT_FOUND, "no such resource", null);
    }

    /** Quarkus REST reports a body it cannot parse as a bare 400; give it the parser's reason. */
    @ServerExceptionMapper
    public Response clientError(WebApplicationException e) {
        Throwable cause = e.getCause();
        if (cause instanceof JsonProcessingException json) {
            return unreadableJson(json);
        }
        Response.Status status = Response.Status.fromStatusCode(e.getResponse().getStatus());
        return problem(status == null ? Response.Status.BAD_REQUEST : status, e.getMessage(), null);
    }

    /** Declared for the subtype too: Quarkus's own mapper for it would otherwise be the closer match. */
    @ServerExceptionMapper
    public Response mismatchedJson(MismatchedInputException e) {
        return unreadableJson(e);
    }

    @ServerExceptionMapper
    public Response unreadableJson(JsonProcessingException e) {
        String field = null;
        if (e instanceof MismatchedInputException mismatch && !mismatch.getPath().isEmpty()) {
            field = mismatch.getPath().stream().map(r -> r.getFieldName()).collect(Collectors.joining("."));
        }
        String detail = field == null ? "the body is not valid JSON: " + e.getOriginalMessage()
                : field + " has the wrong type: " + e.getOriginalMessage();
        return problem(Response.Status.BAD_REQUEST, detail, field == null ? "body" : field);
    }
}
