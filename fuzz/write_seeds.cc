// Writes the seeds of the fuzz targets whose inputs are binary or dataset-like (UniMiB-SHAR .mat
// files, PAMAP2, OPPORTUNITY and CSV rows, OPPORTUNITY's column names) into DIR, so that none is
// committed. Usage: write_seeds DIR
#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>

#include "../tests/mat_writer.h"
#include "../tests/opportunity_writer.h"

int main(int argc, char** argv) {
  if (argc != 2) return 2;
  namespace fs = std::filesystem;
  using legohar::test::write_mat;
  const fs::path dir = argv[1];
  fs::create_directories(dir / "unimib");
  fs::create_directories(dir / "pamap2");
  fs::create_directories(dir / "opportunity");
  fs::create_directories(dir / "csv");
  write_mat(dir / "unimib/labels_v5.mat",
            {{"acc_labels", 3, 3, {3, 1, 1, 17, 2, 6, 4, 30, 2}, MAT_C_UINT8, {}}}, MAT_FT_MAT5,
            true);
  write_mat(dir / "unimib/labels_v5_plain.mat",
            {{"acc_labels", 2, 3, {3, 1, 1, 17, 2, 6}, MAT_C_DOUBLE, {}}}, MAT_FT_MAT5, false);
  write_mat(dir / "unimib/names_v5.mat",
            {{"acc_names", 0, 0, {}, MAT_C_CELL, {{"Walking", "Running"}, {"W", "R"}}}},
            MAT_FT_MAT5, true);
  // Seven PAMAP2 rows: a transient, lying with a dropped value, walking with two.
  std::ofstream rows(dir / "pamap2/rows.dat");
  const int activity[] = {0, 1, 1, 1, 4, 4, 4};
  for (int r = 0; r < 7; ++r) {
    rows << 8.38 + 0.01 * r << ' ' << activity[r] << (r % 3 ? " NaN" : " 104");
    for (int c = 3; c < 54; ++c) {
      const bool dropped = (r == 2 && c == 4) || (r == 4 && (c == 5 || c == 6));
      rows << ' ';
      if (dropped)
        rows << "NaN";
      else
        rows << std::sin(0.01 * r + c) * 10;
    }
    rows << '\n';
  }
  // OPPORTUNITY: the column names; three rows (Null, then a gesture) with dropped values.
  std::ofstream(dir / "opportunity/column_names.txt")
      << legohar::test::opportunity_columns_text(legohar::test::opportunity_column_names());
  std::ofstream opportunity(dir / "opportunity/rows.dat");
  for (int r = 0; r < 3; ++r) {
    opportunity << 33 * r;
    for (int c = 1; c < 243; ++c)
      opportunity << ' ' << ((r == 1 && c % 50 == 3) ? "NaN" : std::to_string((r * 7 + c) % 900));
    opportunity << " 1 101 0 0 0 0 " << (r < 2 ? 0 : 406516) << '\n';
  }
  // A CSV recording: a comment, a header, ms times with a repeat and a gap, a missing value.
  std::ofstream(dir / "csv/recording.csv")
      << "# app export\nt,x,y,activity,user\n0,1.5,2,walk,1\n20,,2.5,walk,1\n20,1,1,walk,1\n"
         "40,NaN,3,sit,1\n900,2,2,sit,1\n920,2e1,-3,1,2\n";
}
