//! Dates are ordered along the process and none that records the past lies
//! in the future; amounts are not negative.

use jiff::civil::Date;

use crate::diag::{Finding, Msg, codes};
use crate::model::Project;
use crate::span::Sp;

pub fn check(p: &Project, today: Date, out: &mut Vec<Finding>) {
    // Within and across stages: entered ≤ done ≤ next stage entered. Each
    // date is compared with the latest one before it, so one wrong date is
    // one finding and does not hide or cause others.
    // A section the project went back from records an earlier visit and
    // stands outside that order.
    let mut latest: Option<(&Sp<Date>, &'static str)> = None;
    for rec in p.stages.iter().flatten().filter(|r| r.left.is_none()) {
        let dates = [(&rec.entered, "entered"), (&rec.done, "done")];
        for (date, what) in dates {
            let Some(date) = date else { continue };
            order(p, latest, date, what, out);
            if latest.is_none_or(|(l, _)| date.value >= l.value) {
                latest = Some((date, what));
            }
        }
    }

    // Dates that record what happened cannot be after today.
    let mut past: Vec<(&str, &Sp<Date>)> = Vec::new();
    for rec in p.stages.iter().flatten() {
        past.extend(rec.entered.iter().map(|d| (p.path.as_str(), d)));
        past.extend(rec.done.iter().map(|d| (p.path.as_str(), d)));
        past.extend(rec.left.iter().map(|d| (p.path.as_str(), d)));
        past.extend(
            rec.judgements
                .iter()
                .filter_map(|j| Some((j.path(&p.path), j.date.as_ref()?))),
        );
    }
    if let Some(d) = p.outcome.as_ref().and_then(|o| o.date.as_ref()) {
        past.push((&p.path, d));
    }
    past.extend(
        p.notes
            .iter()
            .filter_map(|n| Some((n.path.as_str(), n.date.as_ref()?))),
    );
    past.extend(
        p.forms
            .iter()
            .filter_map(|f| Some((f.path.as_str(), f.date.as_ref()?))),
    );
    for (path, date) in past {
        if date.value > today {
            out.push(
                Finding::new(
                    &codes::FUTURE_DATE,
                    path,
                    Some(date.span),
                    Msg::new("msg.future-date")
                        .arg("date", date.value)
                        .arg("today", today),
                )
                .with_help(Msg::new("help.future-date")),
            );
        }
    }

    let amounts = [
        p.amount.as_ref(),
        p.outcome.as_ref().and_then(|o| o.contract_value.as_ref()),
    ];
    for amount in amounts.into_iter().flatten() {
        if amount.value < 0 {
            out.push(
                Finding::new(
                    &codes::NEGATIVE_AMOUNT,
                    &p.path,
                    Some(amount.span),
                    Msg::new("msg.negative-amount").arg("amount", amount.value),
                )
                .with_help(Msg::new("help.negative-amount")),
            );
        }
    }
}

fn order(
    p: &Project,
    previous: Option<(&Sp<Date>, &'static str)>,
    date: &Sp<Date>,
    what: &'static str,
    out: &mut Vec<Finding>,
) {
    let Some((before, before_what)) = previous else {
        return;
    };
    if date.value < before.value {
        out.push(
            Finding::new(
                &codes::DATE_ORDER,
                &p.path,
                Some(date.span),
                Msg::new("msg.date-order")
                    .term("what", format!("term.{what}"))
                    .arg("date", date.value)
                    .term("before_what", format!("term.{before_what}"))
                    .arg("before", before.value),
            )
            .with_help(Msg::new("help.date-order")),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{VALID, codes, one};

    #[test]
    fn done_before_entered_is_reported_at_the_later_date() {
        let found = one(&VALID.replace("done = 2026-10-10", "done = 2026-09-10"));
        assert_eq!(
            found.iter().map(|f| f.code).collect::<Vec<_>>(),
            ["date-order"]
        );
    }

    #[test]
    fn a_stage_entered_before_the_previous_one_was_done() {
        let record = VALID.replace(
            "[stages.proposal]\nentered = 2026-10-10",
            "[stages.proposal]\nentered = 2026-10-05",
        );
        let found = one(&record);
        assert_eq!(
            found.iter().map(|f| f.code).collect::<Vec<_>>(),
            ["date-order"]
        );
    }

    #[test]
    fn one_wrong_date_is_one_finding() {
        // An early `entered` of the second stage is wrong; the dates after
        // it are still compared with the latest good one.
        let record = VALID.replace(
            "[stages.proposal]\nentered = 2026-10-10",
            "[stages.proposal]\nentered = 2026-09-01\ndone = 2026-10-12",
        );
        let codes = codes(&record);
        assert_eq!(codes.iter().filter(|c| **c == "date-order").count(), 1);
    }

    #[test]
    fn future_dates_and_negative_amounts() {
        let record = VALID
            .replace(
                "[stages.proposal]\nentered = 2026-10-10",
                "[stages.proposal]\nentered = 2027-01-10",
            )
            .replace("amount = 1000", "amount = -5");
        let codes: Vec<_> = one(&record).iter().map(|f| f.code).collect();
        assert_eq!(codes, ["negative-amount", "future-date"]);
    }
}
