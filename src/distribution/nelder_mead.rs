//! Nelder and Mead's simplex search (The Computer Journal 1965), in two
//! dimensions: what the elicited fits minimise their sum of squares with.

/// Nelder and Mead's simplex search in two dimensions, restarted from its
/// own answer until a restart no longer improves it (as optimisers used
/// for these fits are, against a simplex that collapses early). None if
/// the objective is not finite at the start or the search does not settle.
pub fn minimise(f: &dyn Fn([f64; 2]) -> f64, start: [f64; 2]) -> Option<([f64; 2], f64)> {
    if !f(start).is_finite() {
        return None;
    }
    let mut best = (start, f(start));
    for _ in 0..20 {
        let next = simplex(f, best.0)?;
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

fn simplex(f: &dyn Fn([f64; 2]) -> f64, start: [f64; 2]) -> Option<([f64; 2], f64)> {
    let step = |x: f64| 0.1 * x.abs().max(0.25);
    let mut points = [
        start,
        [start[0] + step(start[0]), start[1]],
        [start[0], start[1] + step(start[1])],
    ];
    let mut values = points.map(f);
    let along =
        |a: [f64; 2], b: [f64; 2], t: f64| [a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])];
    for _ in 0..5000 {
        let mut order = [0, 1, 2];
        order.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
        points = order.map(|k| points[k]);
        values = order.map(|k| values[k]);
        let size = (points[1][0] - points[0][0])
            .abs()
            .max((points[2][0] - points[0][0]).abs())
            + (points[1][1] - points[0][1])
                .abs()
                .max((points[2][1] - points[0][1]).abs());
        if size < 1e-12 && (values[2] - values[0]).abs() <= 1e-20 + 1e-12 * values[0].abs() {
            return Some((points[0], values[0]));
        }
        let centre = along(points[0], points[1], 0.5);
        let reflected = along(centre, points[2], -1.0);
        let fr = f(reflected);
        if fr < values[0] {
            let expanded = along(centre, points[2], -2.0);
            let fe = f(expanded);
            (points[2], values[2]) = if fe < fr {
                (expanded, fe)
            } else {
                (reflected, fr)
            };
        } else if fr < values[1] {
            (points[2], values[2]) = (reflected, fr);
        } else {
            let contracted = along(centre, points[2], 0.5);
            let fc = f(contracted);
            if fc < values[2] {
                (points[2], values[2]) = (contracted, fc);
            } else {
                for k in 1..3 {
                    points[k] = along(points[0], points[k], 0.5);
                    values[k] = f(points[k]);
                }
            }
        }
    }
    values[0].is_finite().then_some((points[0], values[0]))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Rosenbrock's curved valley, minimum 0 at (1, 1), from its classic
    /// start (−1.2, 1).
    #[test]
    fn finds_the_bottom_of_rosenbrock_s_valley() {
        let f = |t: [f64; 2]| 100.0 * (t[1] - t[0] * t[0]).powi(2) + (1.0 - t[0]).powi(2);
        let (x, value) = minimise(&f, [-1.2, 1.0]).unwrap();
        assert!(value < 1e-15, "{value}");
        assert!(
            (x[0] - 1.0).abs() < 1e-7 && (x[1] - 1.0).abs() < 1e-7,
            "{x:?}"
        );
    }

    #[test]
    fn a_start_where_the_objective_is_not_finite_is_refused() {
        assert!(minimise(&|_| f64::INFINITY, [0.0, 0.0]).is_none());
    }
}
