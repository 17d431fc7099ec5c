// Agreements signed per year, by kind; ties without a year are not counted here.
// How did twinning grow over time?
MATCH (cn)-[t:TWINNED_WITH]->(lac)
WHERE cn.side = 'china' AND lac.side = 'lac' AND t.year IS NOT NULL
RETURN t.year AS year,
       count(t) AS agreements,
       count(CASE WHEN t.kind = 'sister' THEN 1 END) AS sister,
       count(CASE WHEN t.kind = 'friendship' THEN 1 END) AS friendship,
       count(CASE WHEN t.kind = 'letter_of_intent' THEN 1 END) AS letter_of_intent
ORDER BY year
