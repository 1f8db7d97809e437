package org.vettedaccess.ledger.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Signed notes and keys, byte for byte as Go's golang.org/x/mod/sumdb/note makes them. */
class SignedNoteTest {

    // The example key pair and note of the sumdb/note package documentation.
    private static final String GO_SIGNER =
            "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
    private static final String GO_VKEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
    private static final String GO_TEXT = "If you think cryptography is the answer to your problem,\n"
            + "then you don't know what your problem is.\n";
    private static final String GO_NOTE = GO_TEXT + "\n"
            + "\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";

    @Test
    void signsExactlyAsGoDoes() {
        NoteKeys.Signer signer = NoteKeys.parseSigner(GO_SIGNER);
        assertEquals(GO_VKEY, signer.verifier().vkey());
        assertEquals(GO_NOTE, SignedNote.sign(GO_TEXT, signer));
    }

    @Test
    void opensGosNoteAndRejectsAnyChange() {
        NoteKeys.Verifier verifier = NoteKeys.parseVerifier(GO_VKEY);
        assertEquals(GO_TEXT, SignedNote.open(GO_NOTE, verifier));
        assertThrows(
                IllegalArgumentException.class, () -> SignedNote.open(GO_NOTE.replace("answer", "Answer"), verifier));
        NoteKeys.Verifier other =
                NoteKeys.parseSigner(NoteKeys.generateSignerKey("PeterNeumann")).verifier();
        assertThrows(IllegalArgumentException.class, () -> SignedNote.open(GO_NOTE, other));
    }

    @Test
    void rejectsKeysWhoseIdDoesNotMatch() {
        assertThrows(
                IllegalArgumentException.class, () -> NoteKeys.parseVerifier(GO_VKEY.replace("c74f20a3", "c74f20a4")));
        assertThrows(
                IllegalArgumentException.class,
                () -> NoteKeys.parseVerifier(GO_VKEY.replace("PeterNeumann", "PeterNeuman")));
    }

    @Test
    void checkpointsRoundTripThroughASignedNote() {
        NoteKeys.Signer signer = NoteKeys.parseSigner(NoteKeys.generateSignerKey("example.org/ledger"));
        Checkpoint checkpoint = new Checkpoint(
                "example.org/ledger",
                8,
                HexFormat.of().parseHex("5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"));
        assertEquals("example.org/ledger\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n", checkpoint.body());
        String note = SignedNote.sign(checkpoint.body(), signer);
        Checkpoint opened = Checkpoint.parse(SignedNote.open(note, signer.verifier()));
        assertEquals(8, opened.size());
        assertEquals(checkpoint.body(), opened.body());
    }
}
