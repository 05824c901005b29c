// gave_way (ranking._gave_way): gap ROW, passed over in the first places because of the
// paragraphs CROWDED, with why.after and a sentence in why.text saying so.
//@args ROW CROWDED
head([r_ IN [ROW] | r_ {.*, why: head([w_ IN [r_.why] | w_ {.*, after: CROWDED, text: w_.text + '; gave way in the first ' + first_places + ' places: ' + @join(CROWDED, ', ') + ' already had ' + breadth + ' of them'}])}])
