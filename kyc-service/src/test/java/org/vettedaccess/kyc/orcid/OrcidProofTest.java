package org.vettedaccess.kyc.orcid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.junit.jupiter.api.Test;

class OrcidProofTest {

    private static JsonWebToken token(Map<String, Object> claims) {
        return new JsonWebToken() {
            @Override
            public String getName() {
                return "researcher";
            }

            @Override
            public Set<String> getClaimNames() {
                return claims.keySet();
            }

            @Override
            @SuppressWarnings("unchecked")
            public <T> T getClaim(String name) {
                return (T) claims.get(name);
            }
        };
    }

    @Test
    void onlyTheTokensClaimProvesAnId() {
        Optional<String> proven = OrcidProof.provenBy(token(Map.of("orcid", "0000-0002-1825-0097")));
        assertEquals(Optional.of("0000-0002-1825-0097"), proven);
        assertTrue(OrcidProof.verified("0000-0002-1825-0097", proven));
        // Another iD, typed beside a linked account, stays unproven.
        assertFalse(OrcidProof.verified("0000-0001-5109-3700", proven));
        assertFalse(OrcidProof.verified(null, proven));
    }

    @Test
    void withoutALinkedAccountNothingIsVerified() {
        Optional<String> none = OrcidProof.provenBy(token(Map.of("sub", "x")));
        assertEquals(Optional.empty(), none);
        assertFalse(OrcidProof.verified("0000-0002-1825-0097", none));
        assertEquals(Optional.empty(), OrcidProof.provenBy(token(Map.of("orcid", " "))));
        assertEquals(Optional.empty(), OrcidProof.provenBy(null));
    }

    @Test
    void theStatusNamesWhichItIs() {
        assertEquals("VERIFIED", OrcidProof.status("0000-0002-1825-0097", true));
        assertEquals("UNVERIFIED", OrcidProof.status("0000-0002-1825-0097", false));
        assertNull(OrcidProof.status(null, false));
    }
}
