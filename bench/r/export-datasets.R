# Exports the public data sets of the train-reference benchmark to CSV, from Debian's
# r-cran-modeldata and r-cran-mlbench. Usage: Rscript export-datasets.R OUT_DIR
# Missing values are written as empty cells, factors as their labels.
args <- commandArgs(trailingOnly = TRUE)
if (length(args) != 1) stop("usage: Rscript export-datasets.R OUT_DIR")
out <- args[[1]]
dir.create(out, showWarnings = FALSE, recursive = TRUE)
suppressPackageStartupMessages({
  library(modeldata)
  library(mlbench)
})

export <- function(frame, name) {
  write.csv(as.data.frame(frame), file.path(out, paste0(name, ".csv")), row.names = FALSE, na = "")
}

# Binary, categorical columns and missing values (credit scoring, 4,454 rows).
data(credit_data, package = "modeldata")
export(credit_data, "credit")

# Multiclass with tiny classes (Statlog shuttle, 58,000 rows; one class has 10 rows).
data(Shuttle, package = "mlbench")
export(Shuttle, "shuttle")

# Regression with many categorical columns (Ames housing prices, 2,930 rows).
data(ames, package = "modeldata")
export(ames, "ames")
