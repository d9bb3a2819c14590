//! Calendar quarters and months: the periods forecasts, targets and the
//! win/loss figures are counted in. A quarter is written `2027-Q1` in
//! `dealbook.toml` and on the site.

use std::fmt;

use jiff::civil::Date;

/// A calendar quarter (Q1 is January to March).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Quarter {
    pub year: i16,
    /// 1 to 4.
    pub quarter: i8,
}

impl Quarter {
    /// The quarter `date` falls in.
    pub fn of(date: Date) -> Quarter {
        Quarter {
            year: date.year(),
            quarter: (date.month() - 1) / 3 + 1,
        }
    }

    /// `2027-Q1` (or `2027-q1`); `None` for anything else.
    pub fn parse(text: &str) -> Option<Quarter> {
        let (year, quarter) = text.trim().split_once(['-'])?;
        let quarter = quarter.strip_prefix(['Q', 'q'])?;
        let year: i16 = year.parse().ok()?;
        let quarter: i8 = quarter.parse().ok()?;
        ((1..=4).contains(&quarter) && (1..=9999).contains(&year))
            .then_some(Quarter { year, quarter })
    }

    pub fn first_month(self) -> Month {
        Month {
            year: self.year,
            month: (self.quarter - 1) * 3 + 1,
        }
    }

    /// Its three months, in order.
    pub fn months(self) -> [Month; 3] {
        let m = self.first_month();
        [m, m.next(), m.next().next()]
    }

    pub fn next(self) -> Quarter {
        if self.quarter == 4 {
            Quarter {
                year: self.year.saturating_add(1),
                quarter: 1,
            }
        } else {
            Quarter {
                year: self.year,
                quarter: self.quarter + 1,
            }
        }
    }

    pub fn previous(self) -> Quarter {
        if self.quarter == 1 {
            Quarter {
                year: self.year.saturating_sub(1),
                quarter: 4,
            }
        } else {
            Quarter {
                year: self.year,
                quarter: self.quarter - 1,
            }
        }
    }

    pub fn contains(self, date: Date) -> bool {
        Quarter::of(date) == self
    }

    /// `n` quarters from this one on, this one first.
    pub fn run(self, n: usize) -> Vec<Quarter> {
        std::iter::successors(Some(self), |q| Some(q.next()))
            .take(n)
            .collect()
    }
}

impl fmt::Display for Quarter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-Q{}", self.year, self.quarter)
    }
}

/// A calendar month.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    pub year: i16,
    /// 1 to 12.
    pub month: i8,
}

impl Month {
    pub fn of(date: Date) -> Month {
        Month {
            year: date.year(),
            month: date.month(),
        }
    }

    pub fn next(self) -> Month {
        if self.month == 12 {
            Month {
                year: self.year.saturating_add(1),
                month: 1,
            }
        } else {
            Month {
                year: self.year,
                month: self.month + 1,
            }
        }
    }

    pub fn quarter(self) -> Quarter {
        Quarter {
            year: self.year,
            quarter: (self.month - 1) / 3 + 1,
        }
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{:02}", self.year, self.month)
    }
}

/// The median of `values`: the middle one, or the mean of the two middle
/// ones for an even count. `None` for none.
pub fn median(values: &mut [i64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_unstable();
    let mid = values.len() / 2;
    Some(if values.len().is_multiple_of(2) {
        (values[mid - 1] as f64 + values[mid] as f64) / 2.0
    } else {
        values[mid] as f64
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn quarters_have_sharp_boundaries() {
        assert_eq!(Quarter::of(date(2026, 12, 31)).to_string(), "2026-Q4");
        assert_eq!(Quarter::of(date(2027, 1, 1)).to_string(), "2027-Q1");
        assert_eq!(Quarter::of(date(2027, 3, 31)).quarter, 1);
        assert_eq!(Quarter::of(date(2027, 4, 1)).quarter, 2);
        assert_eq!(Quarter::of(date(2027, 9, 30)).quarter, 3);
        assert_eq!(Quarter::of(date(2027, 10, 1)).quarter, 4);
        let q4 = Quarter::of(date(2026, 11, 26));
        assert_eq!(
            q4.run(4).iter().map(|q| q.to_string()).collect::<Vec<_>>(),
            ["2026-Q4", "2027-Q1", "2027-Q2", "2027-Q3"]
        );
        assert_eq!(q4.next().previous(), q4);
        assert_eq!(
            q4.months().map(|m| m.to_string()),
            ["2026-10", "2026-11", "2026-12"]
        );
        assert_eq!(Month::of(date(2026, 12, 5)).next().to_string(), "2027-01");
    }

    #[test]
    fn quarters_are_read_as_written_in_settings() {
        assert_eq!(
            Quarter::parse("2027-Q1"),
            Some(Quarter {
                year: 2027,
                quarter: 1
            })
        );
        assert_eq!(Quarter::parse("2027-q4").map(|q| q.quarter), Some(4));
        for bad in [
            "2027-Q5", "2027-Q0", "2027Q1", "Q1-2027", "2027-1", "", "2027-Q",
        ] {
            assert_eq!(Quarter::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_median_of_an_even_count_is_the_mean_of_the_middle_two() {
        assert_eq!(median(&mut [40, 10, 30, 20]), Some(25.0));
        assert_eq!(median(&mut [10, 21]), Some(15.5));
        assert_eq!(median(&mut [7, 1, 3]), Some(3.0));
        assert_eq!(median(&mut []), None);
    }
}
