"""Neo4j: ``labels`` (the database's vocabulary), ``load`` (an area in one
transaction), ``library`` (the Cypher files, for graphmodel and for Browser)
and ``ask`` (questions answered from the database).
"""
