# TODO: split_x 작성하기
# 150 x 4 -> 146 x 5 x 4
