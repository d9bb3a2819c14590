//! iCalendar (RFC 5545) as calendar programs subscribe to it: CRLF line
//! ends, lines folded at 75 octets (never inside a character), TEXT
//! escaped, all-day events. `DTSTAMP` is the as-of date, so the same data
//! gives the same bytes; each event's `UID` is derived from what it is
//! about, so a calendar updates the event instead of adding it again.

use jiff::ToSpan;
use jiff::civil::Date;

/// An all-day event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    /// Stable across builds: the same thing gives the same UID.
    pub uid: String,
    pub date: Date,
    pub summary: String,
    pub description: String,
    /// An absolute address of the page about it, when the site has one.
    pub url: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Calendar {
    /// The calendar's name, as subscribing programs show it.
    pub name: String,
    pub events: Vec<Event>,
}

/// Escapes TEXT: backslash, semicolon, comma and line breaks.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("\\n");
            }
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Folds a content line: at most 75 octets per line, each continuation
/// starting with a space; every line ends with CRLF.
pub fn fold(line: &str) -> String {
    const MAX: usize = 75;
    let mut out = String::with_capacity(line.len() + line.len() / 70 * 3 + 2);
    let mut width = 0;
    for c in line.chars() {
        let n = c.len_utf8();
        if width + n > MAX {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += n;
    }
    out.push_str("\r\n");
    out
}

fn day(d: Date) -> String {
    d.strftime("%Y%m%d").to_string()
}

/// The calendar as an `.ics` file.
pub fn write(cal: &Calendar, stamp: Date) -> String {
    let mut out = String::new();
    let mut line = |s: String| out.push_str(&fold(&s));
    line("BEGIN:VCALENDAR".into());
    line("VERSION:2.0".into());
    line("PRODID:-//dealbook//dealbook//EN".into());
    line("CALSCALE:GREGORIAN".into());
    line("METHOD:PUBLISH".into());
    line(format!("X-WR-CALNAME:{}", escape(&cal.name)));
    for e in &cal.events {
        line("BEGIN:VEVENT".into());
        line(format!("UID:{}", escape(&e.uid)));
        line(format!("DTSTAMP:{}T000000Z", day(stamp)));
        line(format!("DTSTART;VALUE=DATE:{}", day(e.date)));
        let end = e.date.checked_add(1.day()).unwrap_or(e.date);
        line(format!("DTEND;VALUE=DATE:{}", day(end)));
        line(format!("SUMMARY:{}", escape(&e.summary)));
        if !e.description.is_empty() {
            line(format!("DESCRIPTION:{}", escape(&e.description)));
        }
        if let Some(url) = &e.url {
            line(format!("URL:{url}"));
        }
        line("TRANSP:TRANSPARENT".into());
        line("END:VEVENT".into());
    }
    line("END:VCALENDAR".into());
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn text_is_escaped() {
        assert_eq!(escape("a\\b;c,d\ne\r\nf"), "a\\\\b\\;c\\,d\\ne\\nf");
        // Full-width punctuation is text, not a delimiter.
        assert_eq!(escape("约张主任，周三；带方案"), "约张主任，周三；带方案");
    }

    #[test]
    fn long_chinese_lines_fold_at_75_octets_between_characters() {
        let text = "SUMMARY:".to_string() + &"约信息中心张主任做方案访谈".repeat(6);
        let folded = fold(&text);
        assert!(folded.ends_with("\r\n"));
        let lines: Vec<&str> = folded.trim_end_matches("\r\n").split("\r\n").collect();
        assert!(lines.len() > 3, "{lines:?}");
        for (i, l) in lines.iter().enumerate() {
            assert!(l.len() <= 75, "line {i} has {} octets", l.len());
            if i > 0 {
                assert!(l.starts_with(' '));
            }
        }
        // Unfolding (drop CRLF + space) gives the line back.
        assert_eq!(folded.trim_end_matches("\r\n").replace("\r\n ", ""), text);
        assert_eq!(fold("SHORT"), "SHORT\r\n");
    }

    #[test]
    fn writes_all_day_events_with_a_fixed_stamp() {
        let cal = Calendar {
            name: "李明".into(),
            events: vec![Event {
                uid: "next-step/HZ-2026-001@dealbook".into(),
                date: date(2026, 12, 31),
                summary: "下一步, 约访".into(),
                description: String::new(),
                url: Some("https://example.com/p.html".into()),
            }],
        };
        let ics = write(&cal, date(2026, 11, 26));
        assert!(ics.contains("DTSTAMP:20261126T000000Z\r\n"), "{ics}");
        assert!(ics.contains("DTSTART;VALUE=DATE:20261231\r\n"));
        assert!(ics.contains("DTEND;VALUE=DATE:20270101\r\n"));
        assert!(ics.contains("SUMMARY:下一步\\, 约访\r\n"));
        assert!(
            !ics.replace("\r\n", "").contains('\n'),
            "only CRLF line ends"
        );
        assert_eq!(ics, write(&cal, date(2026, 11, 26)));
    }
}
