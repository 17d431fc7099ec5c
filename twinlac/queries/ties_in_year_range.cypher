// Ties signed in a range of years (inclusive); ties without a year are not listed.
// What was signed between 2015 and 2021?
// @param from_year: first year, e.g. 2015
// @param to_year: last year, e.g. 2021
MATCH (cn)-[t:TWINNED_WITH]->(lac)
WHERE cn.side = 'china' AND lac.side = 'lac' AND t.year >= $from_year AND t.year <= $to_year
MATCH (c:Country) WHERE c.id = lac.country
RETURN t.year AS year,
       t.date AS date,
       cn.name AS china_party,
       lac.name AS lac_party,
       c.name AS lac_country,
       t.kind AS kind,
       t.evidence AS evidence,
       t.source_url AS source
// Nulls sorted by value, not left to the engine: ladybug 0.22 can misplace a row
// when it sorts on several keys of which some are null.
ORDER BY year, coalesce(date, '9999'), china_party, lac_party
