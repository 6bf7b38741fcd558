# hf_add_test(NAME SOURCES file.c... [LABELS l...] [TIMEOUT s])
#
# Builds one cmocka test program against the static library (so tests can
# reach internal functions) and registers it with CTest. Tests run from the
# build directory and find the shared data through HF_SHARED_DIR.
set(HF_SHARED_DIR "${PROJECT_SOURCE_DIR}/../shared" CACHE PATH
    "Folder holding the shared test data (data/images, data/lfw-dev)")

function(hf_add_test name)
    cmake_parse_arguments(ARG "" "TIMEOUT" "SOURCES;LABELS" ${ARGN})
    if(NOT ARG_TIMEOUT)
        set(ARG_TIMEOUT 300)
    endif()
    add_executable(${name} ${ARG_SOURCES})
    target_link_libraries(${name} PRIVATE InspireFace_static ${CMOCKA_LIBRARY})
    target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR}/tests
        ${PROJECT_SOURCE_DIR}/src ${PROJECT_SOURCE_DIR}/include)
    target_compile_definitions(${name} PRIVATE
        HF_SHARED_DIR="${HF_SHARED_DIR}"
        HF_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
        HF_BINARY_DIR="${PROJECT_BINARY_DIR}")
    add_test(NAME ${name} COMMAND ${name})
    set_tests_properties(${name} PROPERTIES TIMEOUT ${ARG_TIMEOUT}
        ENVIRONMENT "CMOCKA_MESSAGE_OUTPUT=STDOUT")
    if(ARG_LABELS)
        set_tests_properties(${name} PROPERTIES LABELS "${ARG_LABELS}")
    endif()
endfunction()
