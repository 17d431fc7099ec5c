// Agreements of one province: those of the province itself and of its cities, on either side.
// Which partners does Jiangsu (or São Paulo, or CN-JS) have, since when, and on what evidence?
// @param province: the province's name or ISO 3166-2 code, e.g. Jiangsu
MATCH (p:Province) WHERE toLower(p.name) = toLower($province) OR p.id = toUpper($province)
MATCH (x:Locality|Province)-[t:TWINNED_WITH]-(y:Locality|Province) WHERE x.province = p.id
  AND ((x.side = 'china' AND y.side = 'lac') OR (x.side = 'lac' AND y.side = 'china'))
MATCH (c:Country) WHERE c.id = y.country
RETURN x.name AS party,
       x.level AS level,
       y.name AS partner,
       y.level AS partner_level,
       c.name AS partner_country,
       t.kind AS kind,
       t.year AS year,
       t.status AS status,
       t.evidence AS evidence,
       t.source_url AS source
// Undated ties last; nulls sorted by value, not left to the engine (see ties_in_year_range).
ORDER BY coalesce(year, 9999), party, partner
