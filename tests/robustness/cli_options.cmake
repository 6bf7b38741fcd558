# Checks that the inspireface tool rejects an option the command would
# ignore (exit 2), so `--json` never silently yields text:
# cmake -DCLI=inspireface -DIMAGE=face.jpg -P cli_options.cmake
function(expect_usage_error)
    execute_process(COMMAND ${CLI} ${ARGN} RESULT_VARIABLE result OUTPUT_QUIET
                    ERROR_VARIABLE message)
    if(NOT result EQUAL 2)
        message(FATAL_ERROR "inspireface ${ARGN}: exit ${result}, expected 2\n${message}")
    endif()
endfunction()

expect_usage_error(compare ${IMAGE} ${IMAGE} --json)
expect_usage_error(info --json)
expect_usage_error(eval-pairs pairs.txt root --json)
expect_usage_error(threshold root --json)
expect_usage_error(enroll root --db gallery.db --json)
expect_usage_error(compare ${IMAGE} ${IMAGE} --draw out.png)
expect_usage_error(detect ${IMAGE} --db gallery.db)
expect_usage_error(frobnicate --json)
expect_usage_error(compare ${IMAGE} ${IMAGE} --min-score 0.6)
expect_usage_error(detect ${IMAGE} --min-score 1.5)
expect_usage_error(detect ${IMAGE} --min-score nan)
