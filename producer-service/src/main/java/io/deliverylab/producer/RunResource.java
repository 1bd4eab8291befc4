package io.deliverylab.producer;

import io.deliverylab.producer.run.Run;
import io.deliverylab.contract.RunRequest;
import io.deliverylab.contract.RunView;
import io.deliverylab.contract.Problem;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/** Starts runs, reports their progress and cancels them. */
@Path("/runs")
@Produces(MediaType.APPLICATION_JSON)
public class RunResource {

    /** How long DELETE waits for the run to reach its batch boundary before it answers 202. */
    private static final long CANCEL_WAIT_MILLIS = 5000;

    @Inject
    RunExecutor executor;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Start a run: send `messages` transfers over `keys` accounts in one delivery mode")
    @APIResponse(responseCode = "202", description = "Accepted; Location is the run",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = RunView.class)))
    @APIResponse(responseCode = "400", description = "Invalid request; `field` names the field",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", description = "Starting up, or fenced by a newer instance with the same id",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response start(RunRequest request, @Context UriInfo uri) {
        Run run = executor.start(request);
        return Response.accepted(run.view())
                .location(uri.getAbsolutePathBuilder().path(run.id()).build())
                .build();
    }

    @GET
    @Operation(summary = "Every run this instance knows, oldest first")
    public List<RunView> list() {
        return executor.all().stream().map(Run::view).toList();
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One run's progress")
    @APIResponse(responseCode = "200", description = "The run",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = RunView.class)))
    @APIResponse(responseCode = "404", description = "No such run",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public RunView get(@PathParam("id") String id) {
        return executor.find(id).map(Run::view).orElseThrow(() -> new UnknownRunException(id));
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Cancel a run: stored as CANCELLED at once (a restarted producer does not resume it); "
            + "the batch in flight finishes. Idempotent; a finished run is left as it is")
    @APIResponse(responseCode = "200", description = "The run has stopped (or had already finished)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = RunView.class)))
    @APIResponse(responseCode = "202", description = "Cancelled durably; the batch in flight is still finishing",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = RunView.class)))
    @APIResponse(responseCode = "404", description = "No such run",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response cancel(@PathParam("id") String id) throws InterruptedException {
        Run run = executor.cancel(id);
        long deadline = System.currentTimeMillis() + CANCEL_WAIT_MILLIS;
        while (!run.state().finished() && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        return Response.status(run.state().finished() ? 200 : 202).entity(run.view()).build();
    }
}
