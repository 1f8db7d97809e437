package org.vettedaccess.kyc.sanctions;

import com.ibm.icu.text.Normalizer2;
import com.ibm.icu.text.Transliterator;
import java.io.Reader;
import java.util.regex.Pattern;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.core.KeywordTokenizer;
import org.apache.lucene.analysis.icu.ICUNormalizer2CharFilter;
import org.apache.lucene.analysis.icu.ICUTransformFilter;
import org.apache.lucene.analysis.miscellaneous.LengthFilter;
import org.apache.lucene.analysis.pattern.PatternCaptureGroupTokenFilter;
import org.apache.lucene.analysis.pattern.PatternReplaceFilter;

/**
 * The ICU analysis of a person's or entity's name (lucene-analysis-icu): NFKC, then the whole name transliterated
 * to Latin and folded to lower-case ASCII ({@code Any-Latin; Latin-ASCII; Lower}, so Cyrillic, Han and accented
 * spellings compare with Latin ones), then split into words of letters and digits. The whole name is transliterated
 * before it is split because transliteration of some scripts (Han) depends on the neighbouring characters. Thread-
 * safe: Lucene reuses one token stream per thread.
 */
final class NameAnalyzer extends Analyzer {

    private static final Pattern WORD = Pattern.compile("([a-z0-9]+)");
    private static final Pattern NOT_WORD = Pattern.compile("[^a-z0-9]+");

    @Override
    protected Reader initReader(String fieldName, Reader reader) {
        return new ICUNormalizer2CharFilter(reader, Normalizer2.getNFKCInstance());
    }

    @Override
    protected TokenStreamComponents createComponents(String fieldName) {
        Tokenizer whole = new KeywordTokenizer();
        TokenStream stream = new ICUTransformFilter(whole, Transliterator.getInstance("Any-Latin; Latin-ASCII; Lower"));
        stream = new LowerCaseFilter(stream);
        stream = new PatternCaptureGroupTokenFilter(stream, false, WORD);
        // A name with no letter or digit at all comes through the capture filter unchanged: drop it.
        stream = new PatternReplaceFilter(stream, NOT_WORD, "", true);
        stream = new LengthFilter(stream, 1, Integer.MAX_VALUE);
        return new TokenStreamComponents(whole, stream);
    }
}
