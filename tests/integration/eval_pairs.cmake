# Runs inspireface eval-pairs on lfw-dev and checks the figures the face
# pipeline must reach: at least 99.0 % 10-fold accuracy, at most 3 images
# without a face, and at least 98.5 % at the recommended threshold alone.
# cmake -DCLI=inspireface -DPACK=path -DDATA=shared/data -P eval_pairs.cmake
execute_process(COMMAND ${CLI} --pack ${PACK} eval-pairs ${DATA}/lfw-dev/pairs.txt
                        ${DATA}/lfw-dev
                RESULT_VARIABLE result OUTPUT_VARIABLE output ERROR_VARIABLE errors)
message("${output}")
if(NOT result EQUAL 0)
    message(FATAL_ERROR "eval-pairs failed (exit ${result}):\n${errors}")
endif()

function(figure pattern name)
    string(REGEX MATCH "${pattern}" matched "${output}")
    if(NOT matched)
        message(FATAL_ERROR "eval-pairs printed no line matching '${pattern}'")
    endif()
    set(${name} ${CMAKE_MATCH_1} PARENT_SCOPE)
endfunction()

figure("images without a face: ([0-9]+)" missing)
figure("accuracy at the recommended threshold [0-9.]+: ([0-9.]+)%" recommended)
figure("10-fold accuracy: ([0-9.]+)%" folded)
if(missing GREATER 3)
    message(FATAL_ERROR "${missing} images without a face, at most 3 allowed")
endif()
if(folded LESS 99.0)
    message(FATAL_ERROR "10-fold accuracy ${folded}% is below 99.0%")
endif()
if(recommended LESS 98.5)
    message(FATAL_ERROR "accuracy at the recommended threshold ${recommended}% is below 98.5%")
endif()
