package org.vettedaccess.kyc.sanctions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.lucene.analysis.core.WhitespaceAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.FieldType;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexOptions;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.FuzzyQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.ByteBuffersDirectory;

/**
 * One loaded version of the lists as an in-memory Lucene index: a document per listed entry, its names' words (as
 * {@link Names#normalise} gives them) in one field, and the entry's position in {@link #entry}. A screened name's
 * words retrieve candidate entries by fuzzy term match (edit distance by word length, as Elasticsearch's
 * {@code AUTO}: none up to 2 letters, 1 up to 5, else 2), ranked by BM25; the caller scores them exactly.
 *
 * <p>Reference-counted through its reader: a screening {@link #acquire}s it and {@link #release}s it, and an index
 * swapped out closes once the last screening on it has finished.
 */
final class NameIndex {

    private static final String WORDS = "words";
    private static final String GRAMS = "grams";
    private static final String ENTRY = "entry";
    private static final FieldType WORDS_TYPE = new FieldType();
    private static final int MAX_WORDS = 16;

    static {
        WORDS_TYPE.setTokenized(true);
        WORDS_TYPE.setIndexOptions(IndexOptions.DOCS_AND_FREQS); // no positions: the query is a bag of words
        WORDS_TYPE.freeze();
    }

    private final ListedEntry[] entries;
    private final DirectoryReader reader;
    private final IndexSearcher searcher;

    private NameIndex(ListedEntry[] entries, DirectoryReader reader) {
        this.entries = entries;
        this.reader = reader;
        this.searcher = new IndexSearcher(reader);
        this.searcher.setQueryCache(null); // every screened name is a new query
    }

    /** Adds entries one at a time, then {@link #build}s the index. Not thread-safe. */
    static final class Builder {
        private final ByteBuffersDirectory directory = new ByteBuffersDirectory();
        private final IndexWriter writer;
        private final List<ListedEntry> entries = new ArrayList<>();

        Builder() {
            try {
                IndexWriterConfig config = new IndexWriterConfig(new WhitespaceAnalyzer());
                config.setRAMBufferSizeMB(64);
                config.setCommitOnClose(true);
                writer = new IndexWriter(directory, config);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        void add(ListedEntry entry) {
            Document doc = new Document();
            for (String name : entry.names()) {
                if (!name.isEmpty()) {
                    doc.add(new Field(WORDS, name, WORDS_TYPE));
                    doc.add(new Field(GRAMS, String.join(" ", grams(name)), WORDS_TYPE));
                }
            }
            doc.add(new NumericDocValuesField(ENTRY, entries.size()));
            entries.add(entry);
            try {
                writer.addDocument(doc);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** The index, merged into one segment (the fastest to search), holding one reference. */
        NameIndex build() throws IOException {
            writer.forceMerge(1);
            writer.close();
            return new NameIndex(entries.toArray(ListedEntry[]::new), DirectoryReader.open(directory));
        }

        /** Gives up a build that failed half-way. */
        void abandon() {
            try {
                writer.rollback();
            } catch (IOException | RuntimeException e) {
                // nothing to keep
            }
        }
    }

    /** A reference for one screening; false if the index is already closed (swapped out meanwhile). */
    boolean acquire() {
        return reader.tryIncRef();
    }

    void release() {
        try {
            reader.decRef();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int size() {
        return entries.length;
    }

    ListedEntry entry(int position) {
        return entries[position];
    }

    /**
     * The positions of up to {@code limit} entries whose words resemble the screened name's, best first; fewer
     * than {@code limit} means no other entry shares a resembling word.
     */
    int[] retrieve(String normalised, int limit) throws IOException {
        Query query = query(normalised);
        if (query == null) {
            return new int[0];
        }
        ScoreDoc[] hits = searcher.search(query, limit).scoreDocs;
        List<LeafReaderContext> leaves = reader.leaves();
        int[] positions = new int[hits.length];
        for (int i = 0; i < hits.length; i++) {
            LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(hits[i].doc, leaves));
            NumericDocValues entry = leaf.reader().getNumericDocValues(ENTRY);
            if (entry == null || !entry.advanceExact(hits[i].doc - leaf.docBase)) {
                throw new IllegalStateException("an indexed entry without its position");
            }
            positions[i] = (int) entry.longValue();
        }
        return positions;
    }

    /**
     * The letter trigrams of each word, marked at its start and end ({@code _de dez … ki_}): words that share most
     * of their letters in order share most trigrams even when more than two letters differ (a respelling, a
     * transliteration), which the fuzzy match alone would miss.
     */
    static List<String> grams(String name) {
        List<String> grams = new ArrayList<>();
        for (String word : name.split(" ")) {
            if (word.length() < 2) {
                continue;
            }
            String marked = "_" + word + "_";
            for (int i = 0; i + 3 <= marked.length(); i++) {
                grams.add(marked.substring(i, i + 3));
            }
        }
        return grams;
    }

    private static Query query(String normalised) {
        Set<String> words = new LinkedHashSet<>(List.of(normalised.split(" ")));
        words.remove("");
        if (words.isEmpty()) {
            return null;
        }
        // Each fuzzy word expands to at most 50 terms; stay well under Lucene's 1,024 clauses.
        if (words.size() > MAX_WORDS) {
            words = new LinkedHashSet<>(List.copyOf(words).subList(0, MAX_WORDS));
        }
        if (words.isEmpty()) {
            return null;
        }
        BooleanQuery.Builder query = new BooleanQuery.Builder();
        for (String gram : new LinkedHashSet<>(grams(String.join(" ", words)))) {
            query.add(new TermQuery(new Term(GRAMS, gram)), BooleanClause.Occur.SHOULD);
        }
        for (String word : words) {
            Term term = new Term(WORDS, word);
            int edits = word.length() <= 2 ? 0 : word.length() <= 5 ? 1 : 2;
            query.add(
                    edits == 0 ? new TermQuery(term) : new FuzzyQuery(term, edits, 0, 50, true),
                    BooleanClause.Occur.SHOULD);
        }
        return query.build();
    }
}
