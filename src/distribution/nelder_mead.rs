//! Nelder and Mead's simplex search (The Computer Journal 1965): what the
//! elicited fits minimise their sum of squares with, over two parameters
//! or, for the skew-normal, three.

/// Nelder and Mead's simplex search, restarted from its own answer until
/// a restart no longer improves it (as optimisers used for these fits
/// are, against a simplex that collapses early). None if the objective is
/// not finite at the start or the search does not settle.
pub fn minimise(f: &dyn Fn(&[f64]) -> f64, start: &[f64]) -> Option<(Vec<f64>, f64)> {
    let first = f(start);
    if !first.is_finite() {
        return None;
    }
    let mut best = (start.to_vec(), first);
    for _ in 0..20 {
        let next = simplex(f, &best.0)?;
        let settled = next.1 >= best.1 - 1e-16 * best.1.abs().max(1e-300);
        if next.1 <= best.1 {
            best = next;
        }
        if settled {
            return Some(best);
        }
    }
    None
}

/// `a + t (b − a)`.
fn along(a: &[f64], b: &[f64], t: f64) -> Vec<f64> {
    a.iter().zip(b).map(|(a, b)| a + t * (b - a)).collect()
}

fn simplex(f: &dyn Fn(&[f64]) -> f64, start: &[f64]) -> Option<(Vec<f64>, f64)> {
    let n = start.len();
    let step = |x: f64| 0.1 * x.abs().max(0.25);
    let mut points: Vec<Vec<f64>> = (0..=n)
        .map(|k| {
            let mut p = start.to_vec();
            if k > 0 {
                p[k - 1] += step(p[k - 1]);
            }
            p
        })
        .collect();
    let mut values: Vec<f64> = points.iter().map(|p| f(p)).collect();
    for _ in 0..2500 * n {
        let mut order: Vec<usize> = (0..=n).collect();
        order.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
        points = order.iter().map(|&k| points[k].clone()).collect();
        values = order.iter().map(|&k| values[k]).collect();
        let size: f64 = (0..n)
            .map(|d| {
                points[1..]
                    .iter()
                    .map(|p| (p[d] - points[0][d]).abs())
                    .fold(0.0, f64::max)
            })
            .sum();
        if size < 1e-12 && (values[n] - values[0]).abs() <= 1e-20 + 1e-12 * values[0].abs() {
            return Some((points[0].clone(), values[0]));
        }
        // The centre of every point but the worst.
        let centre: Vec<f64> = (0..n)
            .map(|d| points[..n].iter().map(|p| p[d]).sum::<f64>() / n as f64)
            .collect();
        let reflected = along(&centre, &points[n], -1.0);
        let fr = f(&reflected);
        if fr < values[0] {
            let expanded = along(&centre, &points[n], -2.0);
            let fe = f(&expanded);
            (points[n], values[n]) = if fe < fr {
                (expanded, fe)
            } else {
                (reflected, fr)
            };
        } else if fr < values[n - 1] {
            (points[n], values[n]) = (reflected, fr);
        } else {
            let contracted = along(&centre, &points[n], 0.5);
            let fc = f(&contracted);
            if fc < values[n] {
                (points[n], values[n]) = (contracted, fc);
            } else {
                for k in 1..=n {
                    points[k] = along(&points[0], &points[k], 0.5);
                    values[k] = f(&points[k]);
                }
            }
        }
    }
    values[0]
        .is_finite()
        .then(|| (points[0].clone(), values[0]))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Rosenbrock's curved valley, minimum 0 at (1, 1), from its classic
    /// start (−1.2, 1).
    #[test]
    fn finds_the_bottom_of_rosenbrock_s_valley() {
        let f = |t: &[f64]| 100.0 * (t[1] - t[0] * t[0]).powi(2) + (1.0 - t[0]).powi(2);
        let (x, value) = minimise(&f, &[-1.2, 1.0]).unwrap();
        assert!(value < 1e-15, "{value}");
        assert!(
            (x[0] - 1.0).abs() < 1e-7 && (x[1] - 1.0).abs() < 1e-7,
            "{x:?}"
        );
    }

    #[test]
    fn a_start_where_the_objective_is_not_finite_is_refused() {
        assert!(minimise(&|_| f64::INFINITY, &[0.0, 0.0]).is_none());
    }

    /// Rosenbrock's valley in three dimensions, Σ 100(x_{i+1} − x_i²)²
    /// + (1 − x_i)², minimum 0 at (1, 1, 1).
    #[test]
    fn finds_the_bottom_of_a_three_dimensional_valley() {
        let f = |t: &[f64]| {
            t.windows(2)
                .map(|w| 100.0 * (w[1] - w[0] * w[0]).powi(2) + (1.0 - w[0]).powi(2))
                .sum::<f64>()
        };
        let (x, value) = minimise(&f, &[-1.2, 1.0, 0.5]).unwrap();
        assert!(value < 1e-15, "{value}");
        assert!(x.iter().all(|x| (x - 1.0).abs() < 1e-7), "{x:?}");
    }
}
