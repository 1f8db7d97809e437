package org.vettedaccess.gateway.portal;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Where Keycloak returns after linking the researcher's ORCID account (ADR 0048). The path is the OIDC tenant
 * {@code orcidlink}, whose sign-in asks Keycloak for {@code kc_action=idp_link:orcid}; by the time this runs the
 * account is linked and the tenant's new ID token carries the {@code orcid} claim. The iD goes to the apply form as
 * a prefill; whether an application's iD is VERIFIED is kyc-service's decision, from its own token's claim.
 */
@Path("/portal/orcid")
@Produces(MediaType.TEXT_HTML)
public class OrcidLinkPages {

    private final Pages pages;
    private final JsonWebToken idToken;

    /** {@code idToken}: in a web-app tenant the injected token is the sign-in's ID token. */
    public OrcidLinkPages(Pages pages, JsonWebToken idToken) {
        this.pages = pages;
        this.idToken = idToken;
    }

    @GET
    @Path("/link")
    public Response linked() {
        if (!pages.user().researcher()) {
            return pages.forbidden("Linking an ORCID account needs the researcher role.");
        }
        // Cancelled at ORCID, or that ORCID account is another user's: Keycloak linked nothing and says so there.
        String orcid = idToken.getClaim("orcid");
        if (orcid == null) {
            return pages.redirect("/portal/apply");
        }
        return pages.redirect("/portal/apply?orcid=" + URLEncoder.encode(orcid, StandardCharsets.UTF_8));
    }
}
