install(TARGETS InspireFace InspireFace_static
    EXPORT InspireFaceTargets
    LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
    ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
    PUBLIC_HEADER DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(EXPORT InspireFaceTargets NAMESPACE InspireFace::
    DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/InspireFace)

include(CMakePackageConfigHelpers)
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/InspireFaceConfig.cmake.in
    ${PROJECT_BINARY_DIR}/InspireFaceConfig.cmake
    INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/InspireFace)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/InspireFaceConfigVersion.cmake
    COMPATIBILITY SameMajorVersion)
install(FILES ${PROJECT_BINARY_DIR}/InspireFaceConfig.cmake
    ${PROJECT_BINARY_DIR}/InspireFaceConfigVersion.cmake
    DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/InspireFace)

# The .pc file finds its prefix relative to its own folder, so it stays right
# when `cmake --install --prefix` differs from the configured prefix.
file(RELATIVE_PATH HF_PC_PREFIX "${CMAKE_INSTALL_FULL_LIBDIR}/pkgconfig" "${CMAKE_INSTALL_PREFIX}")
configure_file(${PROJECT_SOURCE_DIR}/cmake/inspireface.pc.in
    ${PROJECT_BINARY_DIR}/inspireface.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/inspireface.pc
    DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
