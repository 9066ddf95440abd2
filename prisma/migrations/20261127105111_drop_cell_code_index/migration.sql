-- DropIndex
DROP INDEX "cell_value_cell_code_idx";
