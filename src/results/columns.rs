//! The columns of `samples.parquet`, named in one place: a sampled
//! parameter's own name, then each option's hub-years operated, nominal
//! value and present value.

/// One column of the draws.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DrawColumn<'a> {
    Parameter(&'a str),
    /// An option's hub-years operated: the roll-out's own outcome.
    HubYears(&'a str),
    Nominal(&'a str),
    PresentValue(&'a str),
}

const HUB_YEARS: &str = "_hub_years";
const NOMINAL: &str = "_nominal_gbp";
const PRESENT_VALUE: &str = "_pv_gbp";

impl DrawColumn<'_> {
    /// The column's name in `samples.parquet` and wherever the draws'
    /// columns are named.
    pub fn name(self) -> String {
        match self {
            DrawColumn::Parameter(name) => name.to_string(),
            DrawColumn::HubYears(option) => format!("{option}{HUB_YEARS}"),
            DrawColumn::Nominal(option) => format!("{option}{NOMINAL}"),
            DrawColumn::PresentValue(option) => format!("{option}{PRESENT_VALUE}"),
        }
    }

    /// A hub type's hub-years in the base case's detail table
    /// (`chh-psa base --detail`).
    pub fn hub_type_years(hub_type: &str) -> String {
        format!("{hub_type}{HUB_YEARS}")
    }

    /// Whether a column (an input of the rank correlations, say) is an
    /// option's hub-years rather than an assumption one could change.
    pub fn is_hub_years(name: &str) -> bool {
        name.ends_with(HUB_YEARS)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_column_is_named_as_samples_parquet_names_it() {
        assert_eq!(DrawColumn::Parameter("cost_gp").name(), "cost_gp");
        assert_eq!(DrawColumn::HubYears("rapid").name(), "rapid_hub_years");
        assert_eq!(DrawColumn::Nominal("rapid").name(), "rapid_nominal_gbp");
        assert_eq!(DrawColumn::PresentValue("rapid").name(), "rapid_pv_gbp");
        assert!(DrawColumn::is_hub_years("rapid_hub_years"));
        assert!(!DrawColumn::is_hub_years("hub_years_per_pcn"));
    }
}
