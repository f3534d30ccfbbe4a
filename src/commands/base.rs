//! `chh-psa base`: the deterministic base case beside the published figures.

use polars::prelude::*;
use serde_json::Value;
use std::path::Path;

use crate::distribution::Distribution;
use crate::error::{Error, Result};
use crate::export::{self, console};
use crate::inputs::Inputs;
use crate::model::Model;
use crate::outcomes::{self, OptionDetail};
use crate::published;
use crate::results::ElicitedResult;

/// `chh-psa base`: the table, or JSON, and the detail file if asked.
pub fn execute(args: &crate::cli::BaseArgs) -> Result<()> {
    if let Some(path) = &args.detail
        && path.extension().is_none_or(|x| x != "parquet")
    {
        return Err(Error::Usage(format!(
            "--detail {}: the detail is written as Parquet; give a file name ending in .parquet",
            path.display()
        )));
    }
    let base = BaseCase::compute(&args.distributions)?;
    if let Some(path) = &args.detail {
        base.write_detail(path)?;
    }
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&base.to_json()).unwrap_or_default()
        );
    } else {
        print!("{}", base.to_table());
        print!("{}", base.elicitation_feedback());
    }
    Ok(())
}

/// An elicited parameter in `base --json`: its name and its fit, as
/// summary.json keeps it.
#[derive(serde::Serialize)]
struct ElicitedParameter<'a> {
    parameter: &'a str,
    #[serde(flatten)]
    fit: ElicitedResult,
}

/// `chh-psa base --json`.
#[derive(serde::Serialize)]
struct BaseJson<'a> {
    comparator: &'a str,
    horizon_years: usize,
    price_year: i64,
    discount_rate: f64,
    inputs_hash: &'a str,
    options: Vec<BaseOption<'a>>,
    ranking_nominal: Vec<String>,
    ranking_pv: Vec<String>,
    published_ranking: Option<&'a Vec<String>>,
    elicited: Vec<ElicitedParameter<'a>>,
}

/// One option's base case in `base --json`, beside the published figures
/// where the files give them.
#[derive(serde::Serialize)]
struct BaseOption<'a> {
    id: &'a str,
    name: &'a str,
    nominal_gbp: f64,
    pv_gbp: f64,
    published_nominal_gbp: Option<f64>,
    published_pv_gbp: Option<f64>,
    deviation_nominal_gbp: Option<f64>,
    deviation_pv_gbp: Option<f64>,
    within_tolerance: Option<bool>,
    net_efficiency_by_year_gbp: &'a [f64],
    /// Each activity's change in the final year.
    final_year_activity_change: std::collections::BTreeMap<String, f64>,
    /// `<capacity>_released`: full-time equivalents released.
    #[serde(flatten)]
    released: std::collections::BTreeMap<String, f64>,
}

pub struct BaseCase {
    pub inputs: Inputs,
    pub model: Model,
    pub options: Vec<OptionDetail>,
}

impl BaseCase {
    pub fn compute(distributions: &Path) -> Result<BaseCase> {
        let inputs = Inputs::load(distributions)?;
        let model = Model::compile(&inputs)?;
        let options = outcomes::checked_base_case(&model, &inputs)?;
        Ok(BaseCase {
            inputs,
            model,
            options,
        })
    }

    /// Option ids from best to worst by a total.
    pub fn ranking(&self, total: impl Fn(&OptionDetail) -> f64) -> Vec<String> {
        let mut order: Vec<&OptionDetail> = self.options.iter().collect();
        order.sort_by(|a, b| total(b).total_cmp(&total(a)));
        order.into_iter().map(|o| o.id.clone()).collect()
    }

    /// Whether the parameter files give published figures to compare with.
    pub fn published(&self) -> bool {
        self.inputs.published.is_some()
    }

    /// The published figures of option `id`, if the files give them.
    fn lookup(&self, id: &str) -> Option<published::PublishedOption> {
        self.inputs.published.as_ref()?.lookup(id)
    }

    pub fn to_json(&self) -> Value {
        let settings = &self.inputs.settings;
        let json = BaseJson {
            comparator: &settings.comparator,
            horizon_years: settings.horizon_years,
            price_year: settings.price_year,
            discount_rate: self.model.discount_rate(&self.inputs.base_values()),
            inputs_hash: &self.inputs.hash,
            options: self.options.iter().map(|o| self.option_json(o)).collect(),
            ranking_nominal: self.ranking(|o| o.nominal),
            ranking_pv: self.ranking(|o| o.present_value),
            published_ranking: self.inputs.published.as_ref().map(|p| &p.ranking),
            elicited: self
                .elicited()
                .into_iter()
                .map(|(parameter, fit)| ElicitedParameter { parameter, fit })
                .collect(),
        };
        // Through a Value, whose keys are sorted, as they always were.
        serde_json::to_value(json).unwrap_or_default()
    }

    fn option_json<'a>(&'a self, o: &'a OptionDetail) -> BaseOption<'a> {
        let published = self.lookup(&o.id);
        let million = |m: f64| m * 1e6;
        BaseOption {
            id: &o.id,
            name: &o.name,
            nominal_gbp: o.nominal,
            pv_gbp: o.present_value,
            published_nominal_gbp: published.map(|p| million(p.nominal.value_m)),
            published_pv_gbp: published.map(|p| million(p.present_value.value_m)),
            deviation_nominal_gbp: published.map(|p| o.nominal - million(p.nominal.value_m)),
            deviation_pv_gbp: published.map(|p| o.present_value - million(p.present_value.value_m)),
            within_tolerance: published.map(|p| {
                p.nominal.reproduced_by(o.nominal) && p.present_value.reproduced_by(o.present_value)
            }),
            net_efficiency_by_year_gbp: &o.efficiency_by_year,
            final_year_activity_change: self
                .model
                .activities
                .iter()
                .zip(&o.steady_state_activity)
                .map(|(a, v)| (a.id.clone(), *v))
                .collect(),
            released: self
                .model
                .capacities
                .iter()
                .zip(&o.capacity)
                .map(|(c, fte)| (format!("{}_released", c.id), *fte))
                .collect(),
        }
    }

    /// The parameters whose distribution was fitted to judgements, with
    /// their fits.
    pub fn elicited(&self) -> Vec<(&str, ElicitedResult)> {
        self.inputs
            .parameters
            .iter()
            .filter_map(|p| match &p.distribution {
                Distribution::Elicited(d) => Some((p.name.as_str(), ElicitedResult::of(d))),
                _ => None,
            })
            .collect()
    }

    /// What the analyst shows the expert: for each elicited parameter,
    /// each expert's fitted family, its sum of squares and the fitted
    /// probabilities at the judgements; the (pooled) 5th, 50th and 95th
    /// percentiles.
    pub fn elicitation_feedback(&self) -> String {
        let elicited = self.elicited();
        if elicited.is_empty() {
            return String::new();
        }
        let mut out = String::from(
            "\nElicited parameters, fitted by least squares on the CDF at the judgements:\n",
        );
        for (name, fit) in elicited {
            out.push_str(&format!("  {name}:\n"));
            let several = fit.experts.len() > 1;
            for (k, e) in fit.experts.iter().enumerate() {
                if several {
                    out.push_str(&format!("    expert {} (weight {:.3}):\n", k + 1, e.weight));
                }
                out.push_str(&format!(
                    "    {}, {}; sum of squares {:.2e}\n",
                    e.family, e.fitted, e.sum_of_squares
                ));
                let judged = e.values.iter().zip(&e.probabilities);
                for ((v, p), f) in judged.zip(&e.fitted_probabilities) {
                    out.push_str(&format!("    P(X ≤ {v}) judged {p}, fitted {f:.3}\n"));
                }
            }
            out.push_str(&format!(
                "    {} 5th, 50th, 95th percentiles: {:.4}, {:.4}, {:.4}\n",
                if several { "pooled" } else { "fitted" },
                fit.p5,
                fit.p50,
                fit.p95
            ));
        }
        out
    }

    pub fn to_table(&self) -> String {
        let m = |gbp: f64| crate::export::format::millions(gbp, 2);
        let published = self.published();
        let rows: Vec<Vec<String>> = self
            .options
            .iter()
            .map(|o| {
                let p = self.lookup(&o.id);
                let cell =
                    |f: Option<f64>| f.map(|v| format!("{v:+.1}")).unwrap_or_else(|| "-".into());
                let dev = |ours: f64, f: Option<published::PublishedFigure>| {
                    f.map(|f| {
                        format!(
                            "{:+.2}{}",
                            ours / 1e6 - f.value_m,
                            if f.reproduced_by(ours) { "" } else { " !" }
                        )
                    })
                    .unwrap_or_else(|| "-".into())
                };
                let mut row = vec![o.id.clone(), m(o.nominal)];
                if published {
                    row.push(cell(p.map(|p| p.nominal.value_m)));
                    row.push(dev(o.nominal, p.map(|p| p.nominal)));
                }
                row.push(m(o.present_value));
                if published {
                    row.push(cell(p.map(|p| p.present_value.value_m)));
                    row.push(dev(o.present_value, p.map(|p| p.present_value)));
                }
                row.extend(o.capacity.iter().map(|fte| format!("{fte:+.2}")));
                row
            })
            .collect();
        let mut out = format!(
            "Net health-system efficiency against {}, {} years, {} prices, £m (deterministic base case)\n\n",
            self.inputs.settings.comparator,
            self.inputs.settings.horizon_years,
            self.inputs.settings.price_year
        );
        let header: Vec<&str> = match published {
            true => vec![
                "option",
                "nominal",
                "published",
                "deviation",
                "PV",
                "published",
                "deviation",
            ],
            false => vec!["option", "nominal", "PV"],
        };
        let mut header = header;
        header.extend(self.model.capacities.iter().map(|c| c.name.as_str()));
        out.push_str(&console::table(&header, &rows));
        out.push_str(&format!(
            "\nranking (PV):      {}\n",
            self.ranking(|o| o.present_value).join(" > ")
        ));
        if let Some(p) = &self.inputs.published {
            out.push_str(&format!(
                "published ranking: {}\n\n'!' marks a deviation beyond 2% or half the published rounding unit.\n",
                p.ranking.join(" > ")
            ));
        } else {
            out.push('\n');
        }
        let names: Vec<&str> = self
            .model
            .capacities
            .iter()
            .map(|c| c.name.as_str())
            .collect();
        if let Some((last, rest)) = names.split_last() {
            let listed = match rest {
                [] => last.to_string(),
                _ => format!("{} and {last}", rest.join(", ")),
            };
            let mut letters = listed.chars();
            let capitalised: String = letters
                .next()
                .map(|c| c.to_uppercase().chain(letters).collect())
                .unwrap_or_default();
            out.push_str(&format!(
                "{capitalised}: full-time equivalents freed in the final year against the comparator.\n"
            ));
        }
        out
    }

    /// The per-year detail of every option as a frame: one row per option-year.
    pub fn detail_frame(&self) -> Result<DataFrame> {
        let mut option = Vec::new();
        let mut year = Vec::new();
        let types = self.model.hub_types.len();
        let mut cols: Vec<(String, Vec<f64>)> = self
            .model
            .hub_types
            .iter()
            .map(|h| crate::results::DrawColumn::hub_type_years(&h.id))
            .chain(["full_effect_hub_years", "start_ups", "backfill_hub_months"].map(String::from))
            .map(|n| (n, Vec::new()))
            .chain(
                self.model
                    .activities
                    .iter()
                    .map(|a| (format!("{}_avoided", a.id), Vec::new())),
            )
            .chain(
                [
                    "gross_benefit_gbp",
                    "running_cost_gbp",
                    "transition_cost_gbp",
                    "net_value_gbp",
                    "net_efficiency_gbp",
                    "discount_factor",
                    "net_efficiency_pv_gbp",
                ]
                .iter()
                .map(|n| (n.to_string(), Vec::new())),
            )
            .collect();
        for o in &self.options {
            for (t, y) in o.years.iter().enumerate() {
                option.push(o.id.clone());
                year.push(y.year as i32);
                let h = &y.hubs;
                let mut row = h.hub_years[..types].to_vec();
                row.extend([
                    h.effective_hub_years,
                    h.start_ups[..types].iter().sum(),
                    h.backfill_hub_months[..types].iter().sum(),
                ]);
                row.extend(&y.activity_avoided);
                row.extend([
                    y.gross_benefit,
                    y.running_cost,
                    y.transition_cost,
                    y.net_value,
                    o.efficiency_by_year[t],
                    o.discount_factors[t],
                    o.efficiency_by_year[t] * o.discount_factors[t],
                ]);
                for ((_, col), v) in cols.iter_mut().zip(row) {
                    col.push(v);
                }
            }
        }
        let height = option.len();
        let mut columns = vec![
            Column::new("option".into(), option),
            Column::new("year".into(), year),
        ];
        columns.extend(
            cols.into_iter()
                .map(|(name, v)| Column::new(name.into(), v)),
        );
        DataFrame::new(height, columns).map_err(|e| {
            Error::internal(
                &self.inputs.dir,
                format!("building the detail table failed: {e}"),
            )
        })
    }

    pub fn write_detail(&self, path: &Path) -> Result<()> {
        export::detail::write(path, &mut self.detail_frame()?, &self.inputs.hash)
    }
}
