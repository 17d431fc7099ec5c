// All ties of one place: a city, or a province with the ties of its cities, on either side.
// Which partners does Wuxi (or Jiangsu with its cities, or Rosario, or CN-JS) have, since when, and on what evidence?
// @param place: the place's name or id (a Locality or a Province), e.g. Wuxi, Jiangsu, CN-JS, BR-SP:sao-paulo
// A name shared by a city and its province (São Paulo) matches both: place_id tells them apart.
MATCH (p) WHERE p.level IN ['city', 'province']
  AND (toLower(p.name) = toLower($place) OR p.id = $place OR p.id = toUpper($place))
MATCH (x)-[t:TWINNED_WITH]-(y)
WHERE (x.id = p.id OR (p.level = 'province' AND x.province = p.id))
  AND ((x.side = 'china' AND y.side = 'lac') OR (x.side = 'lac' AND y.side = 'china'))
MATCH (c:Country) WHERE c.id = y.country
RETURN p.id AS place_id,
       x.name AS party,
       x.level AS level,
       y.name AS partner,
       y.id AS partner_id,
       y.level AS partner_level,
       c.name AS partner_country,
       t.kind AS kind,
       t.year AS year,
       t.status AS status,
       t.evidence AS evidence,
       t.source_url AS source
// Undated ties last; nulls sorted by value, not left to the engine (see ties_in_year_range).
ORDER BY coalesce(year, 9999), place_id, party, partner
