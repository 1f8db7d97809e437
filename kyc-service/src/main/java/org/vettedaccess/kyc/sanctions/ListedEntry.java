package org.vettedaccess.kyc.sanctions;

import java.util.List;

/**
 * One entry of a sanctions list, as loaded.
 *
 * @param list which list it came from, e.g. {@code opensanctions:targets.simple.csv} or {@code ofac:sdn.csv}
 * @param id its id on that list
 * @param name its primary name as listed
 * @param names its primary name and aliases, normalised for matching
 * @param birthDates its birth dates as listed (ISO 8601: a full date, a year-month or a year), possibly none
 * @param countries the countries it is listed with (ISO 3166-1 alpha-2, lower case), possibly none
 */
record ListedEntry(
        String list, String id, String name, List<String> names, List<String> birthDates, List<String> countries) {}
