# Checks that `inspireface threshold` fails (exit 1) when the folder holds a
# single person, so no different-person pair exists:
# cmake -DCLI=inspireface -DPACK=default.pack -DIMAGE=face.jpg -DWORK=dir -P cli_threshold.cmake
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK}/Only_Person)
file(COPY_FILE ${IMAGE} ${WORK}/Only_Person/Only_Person_0001.jpg)

execute_process(COMMAND ${CLI} --pack ${PACK} threshold ${WORK}
                RESULT_VARIABLE result OUTPUT_QUIET ERROR_VARIABLE message)
if(NOT result EQUAL 1)
    message(FATAL_ERROR "threshold with one person: exit ${result}, expected 1\n${message}")
endif()
file(REMOVE_RECURSE ${WORK})
