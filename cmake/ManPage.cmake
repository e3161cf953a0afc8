# Writes mhwopt.1 from the binary's own --help, so the man page never drifts from the options:
# help2man renders `mhwopt --help`, and each subcommand's --help goes in as its own section.
# Run as a script: cmake -DMHWOPT=path/to/mhwopt -DHELP2MAN=path -DOUTPUT=mhwopt.1 -DWORK_DIR=dir -P ManPage.cmake
set(commands run import generate score query report)
set(include_text "[DESCRIPTION]\nmhwopt finds the best Monster Hunter armour sets: every combination of the equipment you own, scored by a linear formula you configure.\n\n")
string(APPEND include_text "[COMMANDS]\n")
foreach(command ${commands})
  execute_process(COMMAND ${MHWOPT} ${command} --help OUTPUT_VARIABLE help RESULT_VARIABLE status)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "${MHWOPT} ${command} --help failed")
  endif()
  # roff: a leading dot or quote would be read as a request; backslashes are escapes.
  string(REPLACE "\\" "\\e" help "${help}")
  string(REGEX REPLACE "(^|\n)([.'])" "\\1\\\\&\\2" help "${help}")
  string(APPEND include_text ".SS mhwopt ${command}\n.nf\n${help}.fi\n")
endforeach()
string(APPEND include_text "\n[SEE ALSO]\nThe documentation in /usr/share/doc/mhwopt: README.md, commands.md, formats.md, database.md, sql-functions.md, packaging.md.\n")
file(WRITE ${WORK_DIR}/mhwopt.h2m "${include_text}")
execute_process(COMMAND ${HELP2MAN} --no-info --section=1 --name "find the best Monster Hunter armour sets"
                        --include=${WORK_DIR}/mhwopt.h2m --output=${OUTPUT} ${MHWOPT}
                RESULT_VARIABLE status ERROR_VARIABLE errors)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "help2man failed: ${errors}")
endif()
