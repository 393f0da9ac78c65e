# cmake -DNM=<nm> -DOBJECTS=<objects> -P no_undefined.cmake
# Fails if any object has an undefined symbol (calls a function it does not
# define).
foreach(obj ${OBJECTS})
  execute_process(COMMAND ${NM} -u ${obj} OUTPUT_VARIABLE undefined
                  RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${NM} -u ${obj} failed")
  endif()
  if(NOT undefined STREQUAL "")
    message(FATAL_ERROR "${obj} needs symbols it does not define:\n${undefined}")
  endif()
  message(STATUS "${obj}: no undefined symbol")
endforeach()
