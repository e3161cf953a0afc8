# Embeds the schema files sql/NNN_name.sql into the binary at build time, as the migrations
# table of src/db/migrations.hpp. Editing a .sql file regenerates the table on the next build.
#
# Used two ways: included from CMakeLists.txt (defines mhwopt_embed_sql), and run as a script
# (cmake -DSQL_DIR=... -DOUTPUT=... -P EmbedSql.cmake) by the build step that writes the table.

if(CMAKE_SCRIPT_MODE_FILE)
  file(GLOB sql_files "${SQL_DIR}/*.sql")
  list(SORT sql_files)
  set(entries "")
  set(expected 1)
  foreach(sql_file ${sql_files})
    get_filename_component(name "${sql_file}" NAME)
    if(NOT name MATCHES "^([0-9][0-9][0-9])_[a-z0-9_]+\\.sql$")
      message(FATAL_ERROR "${sql_file}: schema files are named NNN_name.sql (NNN = schema version)")
    endif()
    math(EXPR version "${CMAKE_MATCH_1}")  # drops leading zeros
    if(NOT version EQUAL expected)
      message(FATAL_ERROR "${sql_file}: expected schema version ${expected}; versions must run 1, 2, 3... without gaps")
    endif()
    math(EXPR expected "${expected} + 1")
    file(READ "${sql_file}" sql)
    if(sql MATCHES "\\)mhwopt_sql\"")
      message(FATAL_ERROR "${sql_file}: contains the raw-string delimiter )mhwopt_sql\"")
    endif()
    string(APPEND entries "    {${version}, \"${name}\", R\"mhwopt_sql(${sql})mhwopt_sql\"},\n")
  endforeach()
  if(expected EQUAL 1)
    message(FATAL_ERROR "${SQL_DIR}: no schema files")
  endif()
  set(content "// Generated from sql/*.sql by cmake/EmbedSql.cmake; edit those files, not this one.\n#include \"db/migrations.hpp\"\n\nnamespace mhwopt::db {\n\nconst std::vector<Migration>& migrations() {\n    static const std::vector<Migration> all = {\n${entries}    };\n    return all;\n}\n\n}  // namespace mhwopt::db\n")
  # Only rewrite when changed, so an unchanged schema recompiles nothing.
  if(EXISTS "${OUTPUT}")
    file(READ "${OUTPUT}" previous)
  endif()
  if(NOT previous STREQUAL content)
    file(WRITE "${OUTPUT}" "${content}")
  endif()
  return()
endif()

set(MHWOPT_EMBED_SQL_SCRIPT "${CMAKE_CURRENT_LIST_FILE}")

# Sets OUTPUT_VARIABLE to the generated .cpp, to be compiled into a target.
function(mhwopt_embed_sql OUTPUT_VARIABLE)
  file(GLOB sql_files CONFIGURE_DEPENDS "${PROJECT_SOURCE_DIR}/sql/*.sql")
  set(output "${PROJECT_BINARY_DIR}/generated/embedded_sql.cpp")
  add_custom_command(
    OUTPUT "${output}"
    COMMAND "${CMAKE_COMMAND}" -DSQL_DIR=${PROJECT_SOURCE_DIR}/sql -DOUTPUT=${output} -P "${MHWOPT_EMBED_SQL_SCRIPT}"
    DEPENDS ${sql_files} "${MHWOPT_EMBED_SQL_SCRIPT}"
    COMMENT "Embedding sql/*.sql"
    VERBATIM)
  set(${OUTPUT_VARIABLE} "${output}" PARENT_SCOPE)
endfunction()
