# Checks the exit codes of the inspireface tool on mistakes a user makes:
# cmake -DCLI=path/to/inspireface -DIMAGE=some.jpg -P cli_exit_codes.cmake
function(expect_exit code)
    execute_process(COMMAND ${CLI} ${ARGN} RESULT_VARIABLE result OUTPUT_QUIET
                    ERROR_VARIABLE message)
    if(NOT result EQUAL code)
        message(FATAL_ERROR "inspireface ${ARGN}: exit ${result}, expected ${code}\n${message}")
    endif()
endfunction()

expect_exit(0 --help)
expect_exit(2)
expect_exit(2 frobnicate)
expect_exit(2 detect)
expect_exit(2 compare ${IMAGE})
expect_exit(2 detect ${IMAGE} --colour)
expect_exit(2 detect ${IMAGE} --pack)
expect_exit(2 threshold ${IMAGE} --far 2)
expect_exit(3 --pack /nonexistent/inspireface.pack detect ${IMAGE})
