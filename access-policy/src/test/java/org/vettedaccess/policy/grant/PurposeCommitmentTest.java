package org.vettedaccess.policy.grant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class PurposeCommitmentTest {

    private static final String PURPOSE = "Measuring refusal rates of frontier models on dual-use chemistry prompts.";

    @Test
    void theCommitmentIsTheHashOfTheSaltThenThePurpose() throws Exception {
        String salt = "00112233445566778899aabbccddeeff";
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        sha256.update(HexFormat.of().parseHex(salt));
        String expected = HexFormat.of().formatHex(sha256.digest(PURPOSE.getBytes(StandardCharsets.UTF_8)));
        assertEquals(expected, GrantService.purposeCommitment(salt, PURPOSE));
    }

    @Test
    void equalPurposesWithDifferentSaltsCannotBeLinkedNorAGuessConfirmedWithoutTheSalt() throws Exception {
        String one = GrantService.purposeCommitment("00000000000000000000000000000001", PURPOSE);
        String other = GrantService.purposeCommitment("00000000000000000000000000000002", PURPOSE);
        assertNotEquals(one, other);
        String bare = HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(PURPOSE.getBytes(StandardCharsets.UTF_8)));
        assertNotEquals(bare, one, "a guessed purpose's bare hash does not match a salted commitment");
        // A grant issued before salting keeps the bare hash its earlier leaves carry.
        assertEquals(bare, GrantService.purposeCommitment(null, PURPOSE));
    }
}
