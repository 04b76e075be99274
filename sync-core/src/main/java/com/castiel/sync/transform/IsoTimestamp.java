package com.castiel.sync.transform;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;

/**
 * Hand-written reader and writer for the ISO-8601 shapes providers send, because this runs for
 * every date field of every record and {@code DateTimeFormatter} costs about a microsecond a
 * value. Accepts {@code 2013-05-20}, {@code 2013-05-20T20:49:32Z}, fractions of 1 to 9 digits
 * (dot or comma), offsets {@code Z}, {@code +hh}, {@code +hhmm} (Salesforce's {@code +0000}) and
 * {@code +hh:mm}, and a space instead of {@code T}. Years have exactly four digits.
 */
final class IsoTimestamp {

    private static final int MAX_OFFSET_SECONDS = 18 * 3600;

    private IsoTimestamp() {
    }

    /**
     * A parsed timestamp as written.
     *
     * @param date the calendar date as written (before applying the offset)
     * @param hasTime whether a time part followed the date
     * @param secondOfDay seconds since midnight as written
     * @param nano fraction of the second
     * @param hasOffset whether an offset or {@code Z} was given
     * @param offsetSeconds the offset, 0 when none
     */
    record Parsed(LocalDate date, boolean hasTime, int secondOfDay, int nano, boolean hasOffset, int offsetSeconds) {

        /** The instant, using the written offset; only meaningful when {@link #hasOffset()}. */
        Instant instant() {
            return Instant.ofEpochSecond(date.toEpochDay() * 86_400L + secondOfDay - offsetSeconds, nano);
        }
    }

    /** Parses {@code s}, or returns {@code null} when it is not one of the accepted shapes. */
    static Parsed parse(String s) {
        int n = s.length();
        if (n < 10 || s.charAt(4) != '-' || s.charAt(7) != '-') {
            return null;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int day = digits(s, 8, 2);
        if (year < 0 || month < 0 || day < 0) {
            return null;
        }
        LocalDate date;
        try {
            date = LocalDate.of(year, month, day);
        } catch (DateTimeException e) {
            return null;
        }
        if (n == 10) {
            return new Parsed(date, false, 0, 0, false, 0);
        }
        char sep = s.charAt(10);
        if ((sep != 'T' && sep != 't' && sep != ' ') || n < 16 || s.charAt(13) != ':') {
            return null;
        }
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        if (hour < 0 || hour > 23 || minute < 0 || minute > 59) {
            return null;
        }
        int pos = 16;
        int second = 0;
        int nano = 0;
        if (pos < n && s.charAt(pos) == ':') {
            second = pos + 3 <= n ? digits(s, pos + 1, 2) : -1;
            if (second < 0 || second > 59) {
                return null;
            }
            pos += 3;
            if (pos < n && (s.charAt(pos) == '.' || s.charAt(pos) == ',')) {
                int start = ++pos;
                while (pos < n && pos - start < 9 && isDigit(s.charAt(pos))) {
                    nano = nano * 10 + (s.charAt(pos) - '0');
                    pos++;
                }
                int count = pos - start;
                if (count == 0 || (pos < n && isDigit(s.charAt(pos)))) {
                    return null;
                }
                for (int i = count; i < 9; i++) {
                    nano *= 10;
                }
            }
        }
        int secondOfDay = hour * 3600 + minute * 60 + second;
        if (pos == n) {
            return new Parsed(date, true, secondOfDay, nano, false, 0);
        }
        char c = s.charAt(pos);
        if ((c == 'Z' || c == 'z') && pos + 1 == n) {
            return new Parsed(date, true, secondOfDay, nano, true, 0);
        }
        if (c != '+' && c != '-') {
            return null;
        }
        int offsetSeconds = offset(s, pos + 1);
        if (offsetSeconds < 0) {
            return null;
        }
        return new Parsed(date, true, secondOfDay, nano, true, c == '-' ? -offsetSeconds : offsetSeconds);
    }

    /** Reads {@code hh}, {@code hhmm} or {@code hh:mm} running to the end of {@code s}; -1 when malformed. */
    private static int offset(String s, int from) {
        int remaining = s.length() - from;
        int hours = remaining >= 2 ? digits(s, from, 2) : -1;
        int minutes;
        if (remaining == 2) {
            minutes = 0;
        } else if (remaining == 4) {
            minutes = digits(s, from + 2, 2);
        } else if (remaining == 5 && s.charAt(from + 2) == ':') {
            minutes = digits(s, from + 3, 2);
        } else {
            return -1;
        }
        if (hours < 0 || minutes < 0 || minutes > 59) {
            return -1;
        }
        int total = hours * 3600 + minutes * 60;
        return total > MAX_OFFSET_SECONDS ? -1 : total;
    }

    /**
     * Writes {@code yyyy-MM-ddTHH:mm:ss.SSS} followed by {@code zone} ({@code Z} or {@code +0000}).
     *
     * @throws InvalidValueException when the year is outside 0000–9999, which the four-digit
     *     form cannot express
     */
    static String formatMillis(long epochMillis, String zone) {
        long seconds = Math.floorDiv(epochMillis, 1000L);
        int millis = (int) Math.floorMod(epochMillis, 1000L);
        long day = Math.floorDiv(seconds, 86_400L);
        int secondOfDay = (int) Math.floorMod(seconds, 86_400L);
        LocalDate date = dateInRange(day, epochMillis);
        char[] buf = new char[23 + zone.length()];
        writeDate(buf, date);
        buf[10] = 'T';
        two(buf, 11, secondOfDay / 3600);
        buf[13] = ':';
        two(buf, 14, secondOfDay / 60 % 60);
        buf[16] = ':';
        two(buf, 17, secondOfDay % 60);
        buf[19] = '.';
        buf[20] = (char) ('0' + millis / 100);
        buf[21] = (char) ('0' + millis / 10 % 10);
        buf[22] = (char) ('0' + millis % 10);
        zone.getChars(0, zone.length(), buf, 23);
        return new String(buf);
    }

    /** Writes {@code yyyy-MM-dd}; the year must be within 0000–9999. */
    static String formatDate(LocalDate date) {
        if (date.getYear() < 0 || date.getYear() > 9999) {
            throw new InvalidValueException(date + " is outside the years 0000-9999");
        }
        char[] buf = new char[10];
        writeDate(buf, date);
        return new String(buf);
    }

    private static LocalDate dateInRange(long epochDay, long epochMillis) {
        // 0000-01-01 and 9999-12-31 as epoch days
        if (epochDay < -719_528L || epochDay > 2_932_896L) {
            throw new InvalidValueException(epochMillis + " ms since the epoch is outside the years 0000-9999");
        }
        return LocalDate.ofEpochDay(epochDay);
    }

    private static void writeDate(char[] buf, LocalDate date) {
        int year = date.getYear();
        two(buf, 0, year / 100);
        two(buf, 2, year % 100);
        buf[4] = '-';
        two(buf, 5, date.getMonthValue());
        buf[7] = '-';
        two(buf, 8, date.getDayOfMonth());
    }

    private static void two(char[] buf, int at, int value) {
        buf[at] = (char) ('0' + value / 10);
        buf[at + 1] = (char) ('0' + value % 10);
    }

    private static int digits(String s, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = s.charAt(i);
            if (!isDigit(c)) {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
