package io.deliverylab.consumer;

import io.deliverylab.contract.Problem;
import jakarta.ws.rs.GET;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirementsSet;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/** What the consumer stored for a run: distinct messages, deliveries, consume counts, balances. */
@Path("/runs/{id}/summary")
@Produces(MediaType.APPLICATION_JSON)
public class SummaryResource {

    public record Balance(String key, long correct, long naive) {
    }

    public record Summary(String runId, long distinct, long deliveries, Map<Integer, Long> consumeCounts,
            long correctTotal, long naiveTotal, List<Balance> balances) {
    }

    @GET
    @SecurityRequirementsSet({})
    @Operation(operationId = "getRunSummary", summary = "What the consumer stored for a run: distinct messages, deliveries, consume counts, both balances")
    @APIResponse(responseCode = "200", description = "The run's summary",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Summary.class)))
    @APIResponse(responseCode = "404", description = "Nothing stored for this run",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response summary(@PathParam("id") String runId) {
        List<Object[]> counts = ReceivedMessage.getEntityManager().createQuery(
                "select m.deliveryCount, count(m) from ReceivedMessage m where m.runId = ?1 group by m.deliveryCount",
                Object[].class).setParameter(1, runId).getResultList();
        if (counts.isEmpty()) {
            return Response.status(404).type(Problem.MEDIA_TYPE)
                    .entity(Problem.of(404, "Not Found", "nothing stored for run '" + runId + "'", null)).build();
        }
        Map<Integer, Long> consumeCounts = new TreeMap<>();
        long distinct = 0;
        long deliveries = 0;
        for (Object[] row : counts) {
            int times = ((Number) row[0]).intValue();
            long messages = ((Number) row[1]).longValue();
            consumeCounts.put(times, messages);
            distinct += messages;
            deliveries += times * messages;
        }
        Map<String, Long> naive = NaiveBalance.ofRun(runId).stream()
                .collect(Collectors.toMap(b -> b.accountKey, b -> b.balance));
        Map<String, Long> correct = AccountBalance.ofRun(runId).stream()
                .collect(Collectors.toMap(b -> b.accountKey, b -> b.balance));
        List<Balance> balances = new TreeMap<>(naive).keySet().stream()
                .map(k -> new Balance(k, correct.getOrDefault(k, 0L), naive.get(k))).toList();
        return Response.ok(new Summary(runId, distinct, deliveries, consumeCounts,
                sum(balances, Balance::correct), sum(balances, Balance::naive), balances)).build();
    }

    private static long sum(List<Balance> balances, Function<Balance, Long> f) {
        return balances.stream().mapToLong(f::apply).sum();
    }
}
