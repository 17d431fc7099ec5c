// Chinese provinces ranked by ties: each tie counted for the province of its Chinese party.
// Which Chinese provinces are the hubs of twinning with LAC?
// @param top = 10: how many provinces to list
MATCH (cn)-[t:TWINNED_WITH]->(lac)
WHERE cn.side = 'china' AND lac.side = 'lac'
MATCH (p:Province) WHERE p.id = cn.province
RETURN p.name AS province,
       p.nbs_region AS region,
       p.coastal AS coastal,
       count(t) AS ties,
       count(DISTINCT lac.country) AS lac_countries
ORDER BY ties DESC, province
LIMIT $top
