// pick (ranking._breadth_first): in breadth state ST, the index in ST.rest of the next gap: the
// first of the leading severity whose paragraphs are not crowded, else the first.
//@args ST
coalesce(head([i_ IN range(0, size(ST.rest) - 1) WHERE ST.rest[i_].severity = ST.rest[0].severity AND size(@crowded(ST.rest[i_], ST.placed)) = 0]), 0)
