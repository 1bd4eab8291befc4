package io.deliverylab.producer;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.Produces;
import java.util.List;

/** Starts runs and reports their progress. */
@Path("/runs")
@Produces(MediaType.APPLICATION_JSON)
public class RunResource {

    @Inject
    RunExecutor executor;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response start(RunRequest request, @Context UriInfo uri) {
        Run run = executor.start(request);
        return Response.accepted(run.view())
                .location(uri.getAbsolutePathBuilder().path(run.id()).build())
                .build();
    }

    @GET
    public List<Run.RunView> list() {
        return executor.all().stream().map(Run::view).toList();
    }

    @GET
    @Path("/{id}")
    public Run.RunView get(@PathParam("id") String id) {
        return executor.find(id).map(Run::view).orElseThrow(() -> new UnknownRunException(id));
    }
}
