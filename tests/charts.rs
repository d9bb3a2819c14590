//! The board's stacked charts as built: a value axis with its unit and
//! ticks, one legend for the two weekly charts whose keys carry the
//! charts' patterns, and every label as text, not only in a `<title>`.

mod common;

use common::Repo;

/// The `<text>`s of an SVG, trimmed.
fn texts(svg: &str) -> Vec<&str> {
    svg.split("<text")
        .skip(1)
        .map(|t| t[t.find('>').unwrap() + 1..t.find("</text>").unwrap()].trim())
        .collect()
}

/// The `<svg>` element whose title has id `<id>-title`.
fn chart<'a>(page: &'a str, id: &str) -> &'a str {
    let at = page
        .find(&format!("aria-labelledby=\"{id}-title {id}-desc\""))
        .unwrap_or_else(|| panic!("no chart {id}"));
    let start = page[..at].rfind("<svg").unwrap();
    &page[start..start + page[start..].find("</svg>").unwrap()]
}

#[test]
fn the_weekly_charts_share_a_legend_and_read_without_hovering() {
    let repo = Repo::demo();
    assert_eq!(repo.build(&[]).code, 0);
    let page = repo.page("index.html");
    let card = page
        .split("<section class=\"card\" id=\"card-trend\">")
        .nth(1)
        .unwrap();
    let card = &card[..card.find("</section>").unwrap()];
    assert_eq!(card.matches("<svg").count(), 2);
    assert_eq!(card.matches("<p class=\"legend\">").count(), 1);
    // The legend comes before both charts, a key per stage.
    assert!(card.find("class=\"legend\"").unwrap() < card.find("<svg").unwrap());
    let keys: Vec<&str> = card
        .split("<span class=\"key pat-")
        .skip(1)
        .map(|k| &k[..k.find('"').unwrap()])
        .collect();
    assert_eq!(keys.len(), 8);
    let count = chart(card, "trend");
    let amount = chart(card, "trend-amount");
    for (svg, unit) in [(count, "项目数"), (amount, "万元")] {
        let texts = texts(svg);
        assert_eq!(texts[0], unit, "the unit heads the axis");
        assert_eq!(texts[1], "0", "the axis starts at zero");
        // Round ticks, then the weeks along the bottom.
        assert!(texts.iter().any(|t| t.starts_with("11-")), "{texts:?}");
        // Each patterned key's pattern is in the chart.
        for key in keys.iter().filter(|k| **k != "solid") {
            let id = if svg == count {
                "trend"
            } else {
                "trend-amount"
            };
            assert!(svg.contains(&format!("fill=\"url(#{id}-{key})\"")), "{key}");
        }
    }
    // The count chart's ticks are whole numbers of projects up to above
    // the largest week (24 in the demo).
    let mut ticks: Vec<u32> = Vec::new();
    for t in &texts(count)[1..] {
        match t.parse() {
            // Ticks rise; the totals over the columns follow.
            Ok(n) if ticks.last().is_none_or(|&last| n > last) => ticks.push(n),
            _ => break,
        }
    }
    assert_eq!(ticks, [0, 5, 10, 15, 20, 25]);
}

#[test]
fn wins_and_losses_differ_in_pattern_as_well_as_colour() {
    let repo = Repo::demo();
    assert_eq!(repo.build(&[]).code, 0);
    let page = repo.page("board/winloss.html");
    let svg = chart(&page, "winloss");
    assert!(svg.contains("fill=\"url(#winloss-hatch)\""));
    assert!(page.contains("<span class=\"key key-vermillion pat-hatch\"></span>"));
    assert_eq!(texts(svg)[0], "项目数");
    let forecast = repo.page("board/forecast.html");
    assert_eq!(texts(chart(&forecast, "forecast-months"))[0], "万元");
}
