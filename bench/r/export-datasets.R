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

# File name = c(package, data set).
sets <- list(
  # Binary, categorical columns and missing values (credit scoring, 4,454 rows).
  credit = c("modeldata", "credit_data"),
  # Multiclass with tiny classes (Statlog shuttle, 58,000 rows; one class has 10 rows).
  shuttle = c("mlbench", "Shuttle"),
  # Regression with many categorical columns (Ames housing prices, 2,930 rows).
  ames = c("modeldata", "ames"),
  # Binary with many categorical columns (telco churn, 7,043 rows, 11 categorical of 19).
  wa_churn = c("modeldata", "wa_churn"),
  # Binary, rare positives, categoricals of 35 and 50 levels (loans, 9,857 rows).
  lending_club = c("modeldata", "lending_club"),
  # Multiclass with 26 balanced classes (letter recognition, 20,000 rows, 16 numeric features).
  letter = c("mlbench", "LetterRecognition"),
  # Small numeric regression (concrete compressive strength, 1,030 rows).
  concrete = c("modeldata", "concrete")
)

for (name in names(sets)) {
  source <- sets[[name]]
  frame <- get(data(list = source[[2]], package = source[[1]], envir = environment()))
  write.csv(as.data.frame(frame), file.path(out, paste0(name, ".csv")), row.names = FALSE, na = "")
}
