# Builds the default pack at PACK with tools/pack/build-pack.sh unless it
# exists: cmake -DSOURCE=repo -DPACK=path -P ensure_pack.cmake
if(EXISTS ${PACK})
    return()
endif()
execute_process(COMMAND ${SOURCE}/tools/pack/build-pack.sh ${PACK} RESULT_VARIABLE result)
if(NOT result EQUAL 0)
    message(FATAL_ERROR "tools/pack/build-pack.sh ${PACK} failed (exit ${result})")
endif()
