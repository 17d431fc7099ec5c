// Agreements per LAC country, in all and by kind.
// Which LAC countries have the most twinning agreements with Chinese localities?
MATCH (cn)-[t:TWINNED_WITH]->(lac)
WHERE cn.side = 'china' AND lac.side = 'lac'
MATCH (c:Country) WHERE c.id = lac.country
RETURN c.name AS country,
       c.subregion AS subregion,
       count(t) AS agreements,
       count(CASE WHEN t.kind = 'sister' THEN 1 END) AS sister,
       count(CASE WHEN t.kind = 'friendship' THEN 1 END) AS friendship,
       count(CASE WHEN t.kind = 'letter_of_intent' THEN 1 END) AS letter_of_intent
ORDER BY agreements DESC, country
