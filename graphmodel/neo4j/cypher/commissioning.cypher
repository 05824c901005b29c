// commissioning: who commissions which service from which provider, with sub-contracts
// Settings (first line): area is the area id. One row per service and commissioner (a service
// nobody commissions gets one row with commissioner null), in file order; then one row
// per provider that an organisation co-ordinates the commissioning of.
//@param area 'sefton'
CALL (*) {
  MATCH (svc:Service {area: area})
  CALL (svc) {
    OPTIONAL MATCH (p:Item)-[r:PROVIDES]->(svc)
    WITH p ORDER BY r.in_rank
    RETURN head(collect(p)) AS provider
  }
  // A sub-contract is recorded on the prime -> provider link, listing its services.
  CALL (svc, provider) {
    OPTIONAL MATCH (prime:Item)-[r:SUBCONTRACTS]->(provider)
    WHERE svc.id IN r.services
    WITH prime ORDER BY r.in_rank
    RETURN head(collect(prime)) AS prime
  }
  CALL (svc) {
    OPTIONAL MATCH (svc)-[r:LOCATED_AT]->(site:Item)
    WITH site ORDER BY r.out_rank
    RETURN collect(site) AS sites
  }
  CALL (svc) {
    OPTIONAL MATCH (c:Item)-[r:COMMISSIONS]->(svc)
    WITH c ORDER BY r.in_rank
    RETURN collect(c) AS commissioners
  }
  WITH svc, provider, prime, sites,
       CASE WHEN size(commissioners) = 0 THEN [null] ELSE commissioners END AS commissioners
  UNWIND range(0, size(commissioners) - 1) AS k
  WITH svc, provider, prime, sites, commissioners[k] AS c, k
  RETURN CASE WHEN c IS NULL THEN null ELSE {id: c.id, name: c.name} END AS commissioner,
         {id: svc.id, name: svc.name} AS service,
         CASE WHEN provider IS NULL THEN null
              ELSE {id: provider.id, name: provider.name} END AS provider,
         CASE WHEN prime IS NULL THEN null ELSE {id: prime.id, name: prime.name} END
         AS subcontracted_from,
         [s IN sites | {id: s.id, name: s.name}] AS sites,
         [j IN range(0, size(svc.evidence_paragraphs) - 1) |
          {paragraph: svc.evidence_paragraphs[j], quote: svc.evidence_quotes[j]}] AS evidence,
         0 AS part, svc.seq AS seq, k
  UNION ALL
  MATCH (co:Organisation {area: area})-[r:COORDINATES]->(p:Item)
  RETURN {id: co.id, name: co.name} AS commissioner,
         {id: null, name: '(co-ordinating commissioner)'} AS service,
         {id: p.id, name: p.name} AS provider, null AS subcontracted_from, [] AS sites,
         [j IN range(0, size(co.evidence_paragraphs) - 1) |
          {paragraph: co.evidence_paragraphs[j], quote: co.evidence_quotes[j]}] AS evidence,
         1 AS part, co.seq AS seq, r.out_rank AS k
}
//@cli
RETURN commissioner, service, provider, subcontracted_from, sites, evidence
//@browser
RETURN commissioner.name AS commissioner, service.name AS service, provider.name AS provider,
       subcontracted_from.name AS subcontracted_from,
       coalesce(@join([s IN sites | s.name], ', '), '') AS sites,
       coalesce(@join(@distinct([e IN evidence | e.paragraph]), ', '), '') AS paragraphs
//@end
ORDER BY part, seq, k
