-- Rank indexes: one per narrow base of report_fact on (year, value), listed by RANK_INDEXES
-- in src/store/aggregates.ts; a ranking with a limit walks its base's index from the best value.

-- T3_NEW_REQUESTS
CREATE INDEX "report_fact_rank_1" ON "report_fact"("year", (n[1]));

-- T3_CARRIED_OVER
CREATE INDEX "report_fact_rank_2" ON "report_fact"("year", (n[2]));

-- T3_GRANTED
CREATE INDEX "report_fact_rank_3" ON "report_fact"("year", (n[3]));

-- T3_PARTLY_GRANTED
CREATE INDEX "report_fact_rank_4" ON "report_fact"("year", (n[4]));

-- T3_REFUSED_STATE_SECRET
CREATE INDEX "report_fact_rank_5" ON "report_fact"("year", (n[5]));

-- T3_REFUSED_PROHIBITED_BY_LAW
CREATE INDEX "report_fact_rank_6" ON "report_fact"("year", (n[6]));

-- T3_REFUSED_ENDANGERS_SECURITY
CREATE INDEX "report_fact_rank_7" ON "report_fact"("year", (n[7]));

-- T3_REFUSED_THIRD_PARTY
CREATE INDEX "report_fact_rank_8" ON "report_fact"("year", (n[8]));

-- T3_REFUSED_INTERNAL_AFFAIRS
CREATE INDEX "report_fact_rank_9" ON "report_fact"("year", (n[9]));

-- T3_REFUSED_PROCESS_INFORMATION
CREATE INDEX "report_fact_rank_10" ON "report_fact"("year", (n[10]));

-- T3_REFUSED_ENFORCEMENT_FILE
CREATE INDEX "report_fact_rank_11" ON "report_fact"("year", (n[11]));

-- T3_REFUSED_QUERY_MATTER
CREATE INDEX "report_fact_rank_12" ON "report_fact"("year", (n[12]));

-- T3_CANNOT_PROVIDE_NOT_HELD
CREATE INDEX "report_fact_rank_13" ON "report_fact"("year", (n[13]));

-- T3_CANNOT_PROVIDE_NEEDS_CREATION
CREATE INDEX "report_fact_rank_14" ON "report_fact"("year", (n[14]));

-- T3_CANNOT_PROVIDE_STILL_UNCLEAR
CREATE INDEX "report_fact_rank_15" ON "report_fact"("year", (n[15]));

-- T3_NOT_HANDLED_PETITION
CREATE INDEX "report_fact_rank_16" ON "report_fact"("year", (n[16]));

-- T3_NOT_HANDLED_REPEATED
CREATE INDEX "report_fact_rank_17" ON "report_fact"("year", (n[17]));

-- T3_NOT_HANDLED_PUBLICATION
CREATE INDEX "report_fact_rank_18" ON "report_fact"("year", (n[18]));

-- T3_NOT_HANDLED_EXCESSIVE
CREATE INDEX "report_fact_rank_19" ON "report_fact"("year", (n[19]));

-- T3_NOT_HANDLED_CONFIRMATION
CREATE INDEX "report_fact_rank_20" ON "report_fact"("year", (n[20]));

-- T3_OTHER_HANDLING
CREATE INDEX "report_fact_rank_21" ON "report_fact"("year", (n[21]));

-- T3_OTHER_NO_CORRECTION
CREATE INDEX "report_fact_rank_22" ON "report_fact"("year", (n[22]));

-- T3_OTHER_FEE_UNPAID
CREATE INDEX "report_fact_rank_23" ON "report_fact"("year", (n[23]));

-- T3_OTHER_OTHER
CREATE INDEX "report_fact_rank_24" ON "report_fact"("year", (n[24]));

-- T3_OUTCOMES_TOTAL
CREATE INDEX "report_fact_rank_25" ON "report_fact"("year", (n[25]));

-- T3_CARRIED_FORWARD
CREATE INDEX "report_fact_rank_26" ON "report_fact"("year", (n[26]));

-- T3_REFUSED_ALL
CREATE INDEX "report_fact_rank_27" ON "report_fact"("year", (n[27]));

-- T3_CANNOT_PROVIDE_ALL
CREATE INDEX "report_fact_rank_28" ON "report_fact"("year", (n[28]));

-- T3_NOT_HANDLED_ALL
CREATE INDEX "report_fact_rank_29" ON "report_fact"("year", (n[29]));

-- T3_OTHER_HANDLING_ALL
CREATE INDEX "report_fact_rank_30" ON "report_fact"("year", (n[30]));

-- DISCLOSURE_RATE
CREATE INDEX "report_fact_rank_31" ON "report_fact"("year", ((n[31] / NULLIF(d[31], 0))));

-- REFUSAL_RATE
CREATE INDEX "report_fact_rank_32" ON "report_fact"("year", ((n[32] / NULLIF(d[32], 0))));

-- REVIEW_CORRECTION_RATE
CREATE INDEX "report_fact_rank_33" ON "report_fact"("year", ((n[33] / NULLIF(d[33], 0))));

-- LITIGATION_CORRECTION_RATE
CREATE INDEX "report_fact_rank_34" ON "report_fact"("year", ((n[34] / NULLIF(d[34], 0))));

-- BACKLOG_RATE
CREATE INDEX "report_fact_rank_35" ON "report_fact"("year", ((n[35] / NULLIF(d[35], 0))));
