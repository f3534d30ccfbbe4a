# Reads a finished run as an R analyst without a Parquet reader would:
# summary.json with jsonlite, the CSV tables with read.csv. Recounts the
# headline pair's P(A - B > m) from samples.csv and checks it, and each
# option's P(best) in summary.csv, against summary.json. Prints "ok" or
# stops with the difference.
#
#   Rscript tests/read_results.R RESULT_FOLDER
library(jsonlite)
dir <- commandArgs(trailingOnly = TRUE)[1]
s <- fromJSON(file.path(dir, "summary.json"), simplifyVector = FALSE)
samples <- read.csv(file.path(dir, "samples.csv"))
stopifnot(nrow(samples) == s$run$samples)

pair <- s$decision$pairs[[s$decision$headline]]
a <- samples[[paste0(pair$a, "_pv_gbp")]]
b <- samples[[paste0(pair$b, "_pv_gbp")]]
p <- sum(a - b > pair$margin_gbp) / length(a)
if (!identical(p, pair$p_a_beats_b$estimate)) {
  stop(sprintf("P(%s - %s > %s): %.17g recounted, %.17g in summary.json",
               pair$a, pair$b, pair$margin_gbp, p, pair$p_a_beats_b$estimate))
}
mean_difference <- mean(a - b)
if (abs(mean_difference - pair$mean_difference_gbp) > 1e-9 * abs(mean_difference)) {
  stop(sprintf("mean difference %.17g recounted, %.17g in summary.json",
               mean_difference, pair$mean_difference_gbp))
}

options <- read.csv(file.path(dir, "summary.csv"))
for (k in seq_len(nrow(options))) {
  id <- options$option[k]
  want <- s$options[[id]]$p_best$estimate
  if (!identical(options$p_best[k], want)) {
    stop(sprintf("P(best) of %s: %.17g in summary.csv, %.17g in summary.json",
                 id, options$p_best[k], want))
  }
}
provenance <- read.csv(file.path(dir, "provenance.csv"))
stopifnot(provenance$value[provenance$key == "chh_psa.seed"] == as.character(s$run$seed))
cat(sprintf("ok: P(%s - %s > %s) = %s over %d draws\n",
            pair$a, pair$b, pair$margin_gbp, format(p, digits = 17), length(a)))
