// Agreements by the level of each party (city or province) and by kind.
// How many ties are city–city, province–province or mixed, and of which kind?
MATCH (cn)-[t:TWINNED_WITH]->(lac)
WHERE cn.side = 'china' AND lac.side = 'lac'
RETURN cn.level AS china_level,
       lac.level AS lac_level,
       t.kind AS kind,
       count(t) AS agreements
ORDER BY china_level, lac_level, kind
