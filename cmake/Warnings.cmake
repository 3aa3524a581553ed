# legohar_warnings(target): the warning set every legohar target compiles with.
function(legohar_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wno-unused-parameter)
endfunction()
