package org.vettedaccess.support.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.quarkus.security.AuthenticationCompletionException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The one exception-to-problem table of a service: every error leaves as RFC 9457 problem+json, with no
 * stack trace and no internals. Unexpected failures are logged with an id that the caller also gets.
 */
public class ProblemMapper {

    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);

    @ServerExceptionMapper
    public Response problem(ProblemException e, UriInfo uri) {
        return respond(e.type(), e.getMessage(), uri);
    }

    /** A token was presented but failed verification: bad signature, expired, wrong issuer or audience. */
    @ServerExceptionMapper({AuthenticationFailedException.class, AuthenticationCompletionException.class})
    public Response invalidToken(Exception e, UriInfo uri) {
        return Response.fromResponse(
                        respond(ProblemType.INVALID_TOKEN, "The access token is not valid for this service.", uri))
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\"")
                .build();
    }

    /** No credentials were presented for an endpoint that needs them. */
    @ServerExceptionMapper
    public Response unauthenticated(UnauthorizedException e, UriInfo uri) {
        return Response.fromResponse(
                        respond(ProblemType.UNAUTHENTICATED, "This endpoint needs a bearer access token.", uri))
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                .build();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, UriInfo uri) {
        return respond(ProblemType.FORBIDDEN, "The caller's roles do not allow this operation.", uri);
    }

    @ServerExceptionMapper
    public Response malformed(JsonProcessingException e, UriInfo uri) {
        return respond(ProblemType.MALFORMED_REQUEST, "The request body is not valid JSON for this operation.", uri);
    }

    /** Routing and content negotiation: unknown path, wrong method, wrong media type. */
    @ServerExceptionMapper
    public Response framework(WebApplicationException e, UriInfo uri) {
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            return internal(e, uri);
        }
        // A body the JSON reader could not parse arrives here as a plain 400.
        ProblemType type = status == 400 && causedBy(e, JsonProcessingException.class)
                ? ProblemType.MALFORMED_REQUEST
                : ProblemType.forStatus(status);
        Response.ResponseBuilder response =
                Response.status(status).type(Problem.MEDIA_TYPE).entity(problem(type, type.title(), status, uri));
        // Keep the headers the framework set for a reason, e.g. Allow on a 405.
        e.getResponse().getHeaders().forEach((name, values) -> {
            if (!HttpHeaders.CONTENT_TYPE.equalsIgnoreCase(name)) {
                values.forEach(value -> response.header(name, value));
            }
        });
        return response.build();
    }

    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER + 1000)
    public Response internal(Throwable e, UriInfo uri) {
        if (causedBy(e, java.sql.SQLTransientConnectionException.class)
                || causedBy(e, java.sql.SQLNonTransientConnectionException.class)
                || causedBy(e, java.net.ConnectException.class)
                || causedByName(e, "JDBCConnectionException")
                || databaseUnavailable(e)) {
            LOG.warnf("The database is unreachable on %s: %s", uri.getPath(), e.toString());
            return respond(ProblemType.UNAVAILABLE, "A backing store is unavailable; retry shortly.", uri);
        }
        if (dataException(e)) {
            // SQL state class 22: the input holds a value the database cannot take (a NUL character, say).
            return respond(
                    ProblemType.INVALID_REQUEST,
                    "The request holds a value that cannot be stored (such as a NUL character).",
                    uri);
        }
        String errorId = UUID.randomUUID().toString();
        LOG.errorf(e, "Unexpected failure on %s (error id %s)", uri.getPath(), errorId);
        return respond(ProblemType.INTERNAL, "An unexpected error occurred; quote error id " + errorId + ".", uri);
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }

    /**
     * SQL state class 08 (connection exception) and 57P01–57P03 (the server is shutting down, crashed or still
     * starting): a restarting database reports these through a generic JDBC exception, and they mean "retry
     * shortly", not an internal error.
     */
    static boolean databaseUnavailable(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof java.sql.SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                if (state.startsWith("08") || state.equals("57P01") || state.equals("57P02") || state.equals("57P03")) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean dataException(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof java.sql.SQLException sql
                    && sql.getSQLState() != null
                    && sql.getSQLState().startsWith("22")) {
                return true;
            }
        }
        return false;
    }

    private static boolean causedByName(Throwable e, String simpleName) {
        for (Throwable cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause.getClass().getSimpleName().equals(simpleName)) {
                return true;
            }
        }
        return false;
    }

    private static Response respond(ProblemType type, String detail, UriInfo uri) {
        return Response.status(type.status())
                .type(Problem.MEDIA_TYPE)
                .entity(problem(type, detail, type.status(), uri))
                .build();
    }

    private static Problem problem(ProblemType type, String detail, int status, UriInfo uri) {
        return new Problem(type.uri(), type.title(), status, detail, uri.getPath());
    }
}
