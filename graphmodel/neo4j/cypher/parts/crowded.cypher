// crowded (ranking._crowded): the paragraphs of gap ROW that already have breadth places among
// the paragraphs PLACED so far (a list with one entry per place).
//@args ROW PLACED
[p_ IN ROW.cited WHERE size([x_ IN PLACED WHERE x_ = p_]) >= breadth]
