package io.deliverylab.producer;

import io.deliverylab.producer.access.Operator;
import io.deliverylab.producer.run.Run;
import io.deliverylab.contract.RunRequest;
import io.deliverylab.contract.RunView;
import io.deliverylab.contract.Problem;
import jakarta.annotation.security.RolesAllowed;
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
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirementsSet;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;

/** Starts runs, reports their progress and cancels them; starting and cancelling take the API token when one is set. */
@Path("/runs")
@SecurityScheme(securitySchemeName = RunResource.API_TOKEN, type = SecuritySchemeType.HTTP, scheme = "bearer",
        description = "deliverylab.producer.api-token; required only when the producer is configured with one")
@Produces(MediaType.APPLICATION_JSON)
public class RunResource {

    /** How long DELETE waits for the run to reach its batch boundary before it answers 202. */
    private static final long CANCEL_WAIT_MILLIS = 5000;

    static final String API_TOKEN = "apiToken";

    @Inject
    RunExecutor executor;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Operator.ROLE)
    @SecurityRequirement(name = API_TOKEN)
    @Operation(operationId = "startRun", summary = "Start a run: send `messages` transfers over `keys` accounts in one delivery mode")
    @APIResponse(responseCode = "202", description = "Accepted; Location is the run",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = RunView.class)))
    @APIResponse(responseCode = "400", description = "Invalid request; `field` names the field",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "401", description = "An API token is configured and the request did not carry it",
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
    @SecurityRequirementsSet({})
    @Operation(operationId = "listRuns", summary = "Every run this instance knows, oldest first")
    @APIResponse(responseCode = "200", description = "The runs",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = RunView[].class)))
    @APIResponse(responseCode = "406", description = "The Accept header names no JSON",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public List<RunView> list() {
        return executor.all().stream().map(Run::view).toList();
    }

    @GET
    @Path("/{id}")
    @SecurityRequirementsSet({})
    @Operation(operationId = "getRun", summary = "One run's progress")
    @APIResponse(responseCode = "200", description = "The run",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = RunView.class)))
    @APIResponse(responseCode = "404", description = "No such run",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public RunView get(@PathParam("id") String id) {
        return executor.find(id).map(Run::view).orElseThrow(() -> new UnknownRunException(id));
    }

    @DELETE
    @Path("/{id}")
    @RolesAllowed(Operator.ROLE)
    @SecurityRequirement(name = API_TOKEN)
    @Operation(operationId = "cancelRun", summary = "Cancel a run: stored as CANCELLED at once (a restarted producer does not resume it); "
            + "the batch in flight finishes. Idempotent; a finished run is left as it is")
    @APIResponse(responseCode = "200", description = "The run has stopped (or had already finished)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = RunView.class)))
    @APIResponse(responseCode = "202", description = "Cancelled durably; the batch in flight is still finishing",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = RunView.class)))
    @APIResponse(responseCode = "401", description = "An API token is configured and the request did not carry it",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
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
