# Checks that `inspireface detect --json` prints valid JSON when an image
# fails before the others and when a file name needs escaping:
# cmake -DCLI=inspireface -DPACK=default.pack -DIMAGE=face.jpg -DWORK=dir -P cli_json.cmake
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})
file(WRITE ${WORK}/broken.jpg "not an image")
set(quoted "${WORK}/say \"cheese\" \\ now.jpg")
file(COPY_FILE ${IMAGE} ${quoted})

execute_process(COMMAND ${CLI} --pack ${PACK} detect ${WORK}/broken.jpg ${quoted} --json
                RESULT_VARIABLE result OUTPUT_VARIABLE output ERROR_QUIET)
if(NOT result EQUAL 1)
    message(FATAL_ERROR "detect with one broken image: exit ${result}, expected 1")
endif()
string(JSON count ERROR_VARIABLE problem LENGTH "${output}")
if(problem)
    message(FATAL_ERROR "detect --json printed invalid JSON (${problem}):\n${output}")
endif()
if(NOT count EQUAL 1)
    message(FATAL_ERROR "detect --json printed ${count} records, expected 1:\n${output}")
endif()
string(JSON name GET "${output}" 0 image)
if(NOT name STREQUAL quoted)
    message(FATAL_ERROR "detect --json named the image '${name}', expected '${quoted}'")
endif()
file(REMOVE_RECURSE ${WORK})
