//! The report end to end: opened in headless Chromium, screenshotted, its DOM
//! checked for every section, no request leaving the page, and its numbers
//! equal to summary.json. `.ci/browser-setup` installs Chromium; without it
//! the browser test says so and skips, unless CHH_PSA_REQUIRE_BROWSER is set.

mod common;
use common::{chh_psa, floats, ok, run_shipped, spearman};

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

use chh_psa::export::report::SECTIONS;

fn finished_run() -> &'static PathBuf {
    static RUN: std::sync::OnceLock<(tempfile::TempDir, PathBuf)> = std::sync::OnceLock::new();
    &RUN.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("run");
        ok(run_shipped(&out, &["--samples", "3000"]));
        (dir, out)
    })
    .1
}

fn chromium() -> Option<PathBuf> {
    let path = PathBuf::from("/usr/bin/chromium");
    if path.exists() {
        return Some(path);
    }
    assert!(
        std::env::var_os("CHH_PSA_REQUIRE_BROWSER").is_none(),
        "CHH_PSA_REQUIRE_BROWSER is set but /usr/bin/chromium is missing"
    );
    eprintln!("SKIPPED: no Chromium here (install it with .ci/browser-setup)");
    None
}

/// Runs headless Chromium on a local file with a network log.
fn open(browser: &Path, page: &Path, work: &Path, extra: &[&str]) -> (Vec<u8>, Value) {
    let net_log = work.join("net.json");
    let out = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ])
        .arg(format!(
            "--user-data-dir={}",
            work.join("profile").display()
        ))
        .arg(format!("--log-net-log={}", net_log.display()))
        .args(extra)
        .arg(format!("file://{}", page.display()))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let log: Value = serde_json::from_str(&std::fs::read_to_string(&net_log).unwrap()).unwrap();
    (out.stdout, log)
}

/// URLs the page itself asked for: requests whose initiator is an origin
/// (the browser's own service requests have "not an origin").
fn page_requests(log: &Value) -> Vec<String> {
    let start_job = log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
        .as_i64()
        .unwrap();
    log["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["type"].as_i64() == Some(start_job))
        .filter(|e| e["params"]["initiator"].as_str() != Some("not an origin"))
        .filter_map(|e| e["params"]["url"].as_str().map(str::to_string))
        .filter(|url| !url.starts_with("file://"))
        .collect()
}

#[test]
#[cfg_attr(
    not(tool_browser),
    ignore = "needs Chromium: install it with .ci/browser-setup"
)]
fn report_opens_in_chromium_with_every_section_and_no_request() {
    let Some(browser) = chromium() else { return };
    let report = finished_run().join("report.html");
    let work = tempfile::tempdir().unwrap();

    // The DOM holds every section, in reading order, and nothing left the page.
    let (dom, log) = open(&browser, &report, work.path(), &["--dump-dom"]);
    let dom = String::from_utf8(dom).unwrap();
    let mut last = 0;
    for (id, title) in SECTIONS {
        let at = dom
            .find(&format!("<section id=\"{id}\""))
            .unwrap_or_else(|| panic!("no section {id}"));
        assert!(at >= last, "section {id} out of order");
        assert!(
            dom[at..].contains(title),
            "section {id} has no title {title:?}"
        );
        last = at;
    }
    assert!(dom.matches("<svg").count() >= 6, "the plots are inline SVG");
    let requests = page_requests(&log);
    assert!(
        requests.is_empty(),
        "the report made requests: {requests:?}"
    );

    // A screenshot of the first screen is not blank: ink covers a fair share
    // of it, in more than a couple of colours.
    let shot = work.path().join("shot.png");
    let shot_arg = format!("--screenshot={}", shot.display());
    open(
        &browser,
        &report,
        work.path(),
        &[&shot_arg, "--window-size=1280,900"],
    );
    let decoder = png::Decoder::new(std::fs::File::open(&shot).unwrap());
    let mut reader = decoder.read_info().unwrap();
    let mut pixels = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut pixels).unwrap();
    let channels = info.color_type.samples();
    let colours: std::collections::HashSet<&[u8]> =
        pixels[..info.buffer_size()].chunks(channels).collect();
    let ink = pixels[..info.buffer_size()]
        .chunks(channels)
        .filter(|p| p[..3].iter().any(|c| *c < 200))
        .count();
    let total = (info.width * info.height) as usize;
    assert!(
        colours.len() > 20,
        "only {} colours: blank page?",
        colours.len()
    );
    assert!(ink * 50 > total, "only {ink} of {total} pixels inked");
}

/// Printed to PDF from Chromium, as a reader sends it round, the report
/// stays a file one can email: under 5 MB (thousands of translucent
/// scatter points once made it 12 MB).
#[test]
#[cfg_attr(
    not(tool_browser),
    ignore = "needs Chromium: install it with .ci/browser-setup"
)]
fn the_report_prints_to_a_pdf_of_a_few_megabytes() {
    let Some(browser) = chromium() else { return };
    let report = finished_run().join("report.html");
    let work = tempfile::tempdir().unwrap();
    let pdf = work.path().join("report.pdf");
    open(
        &browser,
        &report,
        work.path(),
        &[&format!("--print-to-pdf={}", pdf.display())],
    );
    let bytes = std::fs::metadata(&pdf).unwrap().len();
    assert!(bytes > 100_000, "a PDF of {bytes} bytes holds no figures");
    assert!(
        bytes < 5_000_000,
        "the printed report is {} MB",
        bytes >> 20
    );
}

/// Every top-level `<svg>…</svg>` of a page, in order.
fn figures(html: &str) -> Vec<&str> {
    let mut found = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<svg") {
        let end = start + rest[start..].find("</svg>").expect("a closed svg") + "</svg>".len();
        found.push(&rest[start..end]);
        rest = &rest[end..];
    }
    found
}

/// A numeric attribute of an SVG's opening tag.
fn attribute(svg: &str, name: &str) -> f64 {
    let open = &svg[..svg.find('>').unwrap()];
    let at = open.find(&format!(" {name}=\"")).unwrap() + name.len() + 3;
    open[at..at + open[at..].find('"').unwrap()]
        .parse()
        .unwrap()
}

/// A chart of axes, grid and labels with no data, as SVG.
fn empty_chart() -> String {
    let mut control = String::new();
    {
        use plotters::prelude::*;
        let root = SVGBackend::with_string(&mut control, (900, 360)).into_drawing_area();
        root.fill(&WHITE).unwrap();
        let mut chart = ChartBuilder::on(&root)
            .caption("an empty chart", ("sans-serif", 15))
            .margin(12)
            .x_label_area_size(45)
            .y_label_area_size(60)
            .build_cartesian_2d(0.0..10.0, 0.0..1.0)
            .unwrap();
        chart
            .configure_mesh()
            .x_desc("x axis")
            .y_desc("y axis")
            .draw()
            .unwrap();
        root.present().unwrap();
    }
    control[control.find("<svg").unwrap()..].to_string()
}

/// Every figure of the report, laid out one under another at its own size,
/// rendered by Chromium: each has a text alternative, and each one's own
/// stretch of the screenshot carries ink and colour (its data), not just a
/// white box.
#[test]
#[cfg_attr(
    not(tool_browser),
    ignore = "needs Chromium: install it with .ci/browser-setup"
)]
fn every_figure_renders_in_chromium_and_none_is_blank() {
    let Some(browser) = chromium() else { return };
    let work = tempfile::tempdir().unwrap();
    let report = finished_run().join("report.html");
    let (dom, _) = open(&browser, &report, work.path(), &["--dump-dom"]);
    let dom = String::from_utf8(dom).unwrap();
    let svgs = figures(&dom);
    // Distributions, two difference histograms and scatters, the margin
    // curves, ranks, pairwise, tornado, two-way, two fans, the EVPPI, EVSI
    // and convergence.
    assert!(svgs.len() >= 17, "only {} figures", svgs.len());
    for (k, svg) in svgs.iter().enumerate() {
        assert!(svg.contains("<title"), "figure {k} has no text alternative");
        assert!(
            svg.contains("role=\"img\""),
            "figure {k} is not marked an image"
        );
    }
    // A control: axes, grid and labels with no data, which must fail.
    let control = empty_chart();
    let mut svgs = svgs;
    svgs.push(&control);
    let heights: Vec<u32> = svgs
        .iter()
        .map(|s| attribute(s, "height").ceil() as u32)
        .collect();
    let mut page = String::from(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><style>body{margin:0}div{width:1000px;overflow:hidden;margin:0;padding:0}svg{display:block}</style></head><body>",
    );
    for (svg, h) in svgs.iter().zip(&heights) {
        page.push_str(&format!("<div style=\"height:{h}px\">{svg}</div>"));
    }
    page.push_str("</body></html>");
    let page_path = work.path().join("figures.html");
    std::fs::write(&page_path, page).unwrap();
    let total: u32 = heights.iter().sum();
    let shot = work.path().join("figures.png");
    open(
        &browser,
        &page_path,
        work.path(),
        &[
            &format!("--screenshot={}", shot.display()),
            &format!("--window-size=1000,{total}"),
            "--hide-scrollbars",
        ],
    );
    let decoder = png::Decoder::new(std::fs::File::open(&shot).unwrap());
    let mut reader = decoder.read_info().unwrap();
    let mut pixels = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut pixels).unwrap();
    let channels = info.color_type.samples();
    let width = info.width as usize;
    assert!(
        info.height >= total,
        "screenshot {} high for {total}",
        info.height
    );
    let mut top = 0usize;
    for (k, h) in heights.iter().enumerate() {
        let rows = &pixels[top * width * channels..(top + *h as usize) * width * channels];
        let pixel = |p: &[u8]| (p[0], p[1], p[2]);
        let ink = rows
            .chunks(channels)
            .filter(|p| p[..3].iter().any(|c| *c < 200))
            .count();
        // Data: coloured marks, or mid-grey fills (darker than the grid
        // lines, a fifth of black at most, and than most of a text's edge).
        let data = rows
            .chunks(channels)
            .filter(|p| {
                let (r, g, b) = pixel(p);
                let spread = r.max(g).max(b) - r.min(g).min(b);
                spread > 40 || (spread < 8 && (120..=190).contains(&r))
            })
            .count();
        let area = width * *h as usize;
        top += *h as usize;
        if k == svgs.len() - 1 {
            assert!(ink * 100 > area, "the control chart has its axes");
            assert!(data * 100 <= area, "the check passes an empty chart");
            continue;
        }
        assert!(
            ink * 100 > area,
            "figure {k}: only {ink} of {area} pixels inked"
        );
        assert!(
            data * 100 > area,
            "figure {k}: only {data} of {area} pixels of data: nothing drawn?"
        );
    }
}

/// The scatter plots show the four sampled inputs whose Spearman
/// correlation with the headline difference, recounted here from
/// `samples.parquet`, is strongest (hub-years, an outcome, left out), each
/// with one point per draw shown.
#[test]
fn the_scatter_plots_show_the_inputs_most_correlated_with_the_headline() {
    let dir = finished_run();
    let html = std::fs::read_to_string(dir.join("report.html")).unwrap();
    let samples = chh_psa::export::parquet::read(&dir.join("samples.parquet")).unwrap();
    let d: Vec<f64> = floats(&samples, "accelerated_pv_gbp")
        .iter()
        .zip(floats(&samples, "supported_pv_gbp"))
        .map(|(a, b)| a - b)
        .collect();
    let s = common::summary(dir);
    let mut rho: Vec<(String, f64)> = s
        .parameters
        .iter()
        .filter(|p| samples.column(&p.name).is_ok())
        .map(|p| (p.name.clone(), spearman(&floats(&samples, &p.name), &d)))
        .collect();
    rho.sort_by(|a, b| b.1.abs().total_cmp(&a.1.abs()));
    let start = html
        .find("<h3>The strongest inputs")
        .expect("a scatter section");
    let section = &html[start..start + html[start..].find("</svg>").unwrap()];
    let shown = d.len().min(1000);
    for (name, r) in &rho[..4] {
        let rho = format!("{r:+.2}").replace('-', "−");
        assert!(
            section.contains(&format!("{name} (ρ = {rho})")),
            "no panel for {name} (ρ = {rho})"
        );
    }
    assert!(!section.contains(&format!("{} (ρ", rho[4].0)));
    assert!(!section.contains("_hub_years"));
    // One circle a draw shown in each of the four panels.
    assert_eq!(section.matches("<circle").count(), 4 * shown);
}

#[test]
#[cfg_attr(
    not(tool_browser),
    ignore = "needs Chromium: install it with .ci/browser-setup"
)]
fn the_network_check_sees_a_page_that_does_make_a_request() {
    let Some(browser) = chromium() else { return };
    let work = tempfile::tempdir().unwrap();
    let page = work.path().join("leaky.html");
    std::fs::write(
        &page,
        "<!DOCTYPE html><html><body><img src=\"http://192.0.2.1/x.png\"></body></html>",
    )
    .unwrap();
    let (_, log) = open(
        &browser,
        &page,
        work.path(),
        &["--dump-dom", "--virtual-time-budget=2000"],
    );
    assert!(
        page_requests(&log).iter().any(|u| u.contains("192.0.2.1")),
        "the check must catch a page's request"
    );
}

#[test]
fn report_numbers_equal_the_summary() {
    let dir = finished_run();
    let html = std::fs::read_to_string(dir.join("report.html")).unwrap();
    let summary = chh_psa::export::summary::read_json(&dir.join("summary.json")).unwrap();
    let values_in = |fragment: &str| -> Vec<f64> {
        fragment
            .split("data-value=\"")
            .skip(1)
            .map(|rest| rest[..rest.find('"').unwrap()].parse::<f64>().unwrap())
            .collect()
    };
    // Each parameter as its file states it, beside the shape it is fitted to.
    for p in &summary.parameters {
        assert!(!p.entered.is_empty(), "{}", p.name);
        assert!(
            html.contains(&format!("<td>{}</td>", p.entered)),
            "{}",
            p.name
        );
    }
    let beta = summary
        .parameters
        .iter()
        .find(|p| p.name == "realisation_standard")
        .unwrap();
    assert_eq!(beta.entered, "beta: mean 0.5, se 0.1");
    for (id, option) in &summary.options {
        let start = html.find(&format!("<tr data-option=\"{id}\">")).unwrap();
        let row = &html[start..start + html[start..].find("</tr>").unwrap()];
        let expected = [
            option.base_case.pv_gbp,
            option.pv_gbp.mean,
            option.pv_gbp.mcse_mean,
            option.base_case.nominal_gbp,
            option.nominal_gbp.mean,
            option.p_best.estimate,
            option.expected_loss_gbp,
        ];
        assert_eq!(values_in(row), expected, "{id}");
    }
    let answer_start = html.find("<section id=\"answer\"").unwrap();
    let answer =
        &html[answer_start..answer_start + html[answer_start..].find("</section>").unwrap()];
    let headline = &summary.decision.pairs["accelerated-supported"];
    let p = &headline.p_a_beats_b;
    let other = &summary.decision.pairs["supported-organic"];
    assert_eq!(
        values_in(answer),
        [
            p.estimate,
            p.mcse,
            p.wilson_low,
            p.wilson_high,
            headline.margin_gbp,
            p.estimate,
            headline.mean_difference_gbp,
            other.margin_gbp,
            other.p_a_beats_b.estimate,
            other.mean_difference_gbp
        ]
    );
    // The headline sentence is what a reader sees first: the verdict and
    // the share as a percentage.
    assert!(answer.contains("Does accelerated beat supported?"));
    assert!(answer.contains(&format!("<strong>{}.</strong>", headline.verdict)));
    assert!(answer.contains(&format!("{:.1}%", p.estimate * 100.0)));
}

#[test]
fn report_command_refuses_a_damaged_summary_with_the_field_at_fault() {
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("run");
    std::fs::create_dir(&copy).unwrap();
    for file in ["samples.parquet", "summary.json"] {
        std::fs::copy(finished_run().join(file), copy.join(file)).unwrap();
    }
    let text = std::fs::read_to_string(copy.join("summary.json")).unwrap();
    for (damage, fragment) in [
        ("{}".to_string(), "missing field `schema_version`"),
        (
            text.replacen("\"tornado\"", "\"tornadoes\"", 1),
            "tornadoes",
        ),
        (
            text.replacen("\"schema_version\": 3", "\"schema_version\": 2", 1),
            "schema_version",
        ),
    ] {
        std::fs::write(copy.join("summary.json"), damage).unwrap();
        let o = chh_psa(&["report", copy.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(2));
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert!(
            stderr.contains("summary.json") && stderr.contains(fragment),
            "{stderr}"
        );
        assert!(!copy.join("report.html").exists());
    }
}

#[test]
fn report_command_rebuilds_the_same_page() {
    let dir = finished_run();
    let before = std::fs::read_to_string(dir.join("report.html")).unwrap();
    let o = chh_psa(&["report", dir.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(
        std::fs::read_to_string(dir.join("report.html")).unwrap(),
        before
    );
}
