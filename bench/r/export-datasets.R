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

# Binary with many categorical columns (telco churn, 7,043 rows, 11 categorical of 19).
data(wa_churn, package = "modeldata")
export(wa_churn, "wa_churn")

# Binary, rare positive class and high-cardinality categoricals (state: 50, sub-grade: 35; 9,857 rows).
data(lending_club, package = "modeldata")
export(lending_club, "lending_club")

# Multiclass with 26 balanced classes (letter recognition, 20,000 rows, 16 numeric features).
data(LetterRecognition, package = "mlbench")
export(LetterRecognition, "letter")

# Small numeric regression (concrete compressive strength, 1,030 rows).
data(concrete, package = "modeldata")
export(concrete, "concrete")
