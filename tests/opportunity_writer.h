// OPPORTUNITY's column_names.txt as tests and fuzz seeds write it: the 250 columns in the order of
// the creators' documentation (a timestamp; 12 body-worn accelerometers; 5 IMUs of 13 columns and
// 2 shoe IMUs of 16; 12 objects' acceleration and rate of turn; 13 switches and 8 accelerometers
// of the ambience; 4 location tags; 7 label tracks), each on a "Column: N name; value = ..." line.
#pragma once

#include <string>
#include <vector>

namespace legohar::test {

inline std::vector<std::string> opportunity_column_names() {
  std::vector<std::string> c = {"MILLISEC"};
  for (const char* at :
       {"RKN^", "HIP", "LUA^", "RUA_", "LH", "BACK", "RKN_", "RWR", "RUA^", "LUA_", "LWR", "RH"})
    for (const char* axis : {"accX", "accY", "accZ"})
      c.push_back(std::string("Accelerometer ") + at + " " + axis);
  for (const char* at : {"BACK", "RUA", "RLA", "LUA", "LLA"})
    for (const char* axis :
         {"accX", "accY", "accZ", "gyroX", "gyroY", "gyroZ", "magneticX", "magneticY", "magneticZ",
          "Quaternion1", "Quaternion2", "Quaternion3", "Quaternion4"})
      c.push_back(std::string("InertialMeasurementUnit ") + at + " " + axis);
  for (const char* at : {"L-SHOE", "R-SHOE"})
    for (const char* axis :
         {"EuX", "EuY", "EuZ", "Nav_Ax", "Nav_Ay", "Nav_Az", "Body_Ax", "Body_Ay", "Body_Az",
          "AngVelBodyFrameX", "AngVelBodyFrameY", "AngVelBodyFrameZ", "AngVelNavFrameX",
          "AngVelNavFrameY", "AngVelNavFrameZ", "Compass"})
      c.push_back(std::string("InertialMeasurementUnit ") + at + " " + axis);
  for (const char* at : {"CUP", "SALAMI", "WATER", "CHEESE", "BREAD", "KNIFE1", "MILK", "SPOON",
                         "SUGAR", "KNIFE2", "PLATE", "GLASS"})
    for (const char* axis : {"accX", "accY", "accZ", "gyroX", "gyroY"})
      c.push_back(std::string("Accelerometer ") + at + " " + axis);
  for (int s = 1; s <= 13; ++s) c.push_back("REED SWITCH S" + std::to_string(s));
  for (const char* at : {"DOOR1", "LAZYCHAIR", "DOOR2", "DISHWASHER", "UPPERDRAWER", "LOWERDRAWER",
                         "MIDDLEDRAWER", "FRIDGE"})
    for (const char* axis : {"accX", "accY", "accZ"})
      c.push_back(std::string("Accelerometer ") + at + " " + axis);
  for (int tag = 1; tag <= 4; ++tag)
    for (const char* axis : {"X", "Y", "Z"})
      c.push_back("LOCATION TAG" + std::to_string(tag) + " " + axis);
  for (const char* track : {"Locomotion", "HL_Activity", "LL_Left_Arm", "LL_Left_Arm_Object",
                            "LL_Right_Arm", "LL_Right_Arm_Object", "ML_Both_Arms"})
    c.push_back(track);
  return c;
}

// The text of column_names.txt for `names`: headings, then one line per column, sensor columns
// with the creators' "; value = ..., unit = ..." tail.
inline std::string opportunity_columns_text(const std::vector<std::string>& names) {
  std::string s = "Data columns:\n\n";
  for (size_t i = 0; i < names.size(); ++i) {
    if (names[i] == "Locomotion") s += "\nLabel columns: \n\n";
    s += "Column: " + std::to_string(i + 1) + " " + names[i];
    if (i > 0 && names[i].find(' ') != std::string::npos)
      s += "; value = round(original_value), unit = milli g";
    s += "\n";
  }
  return s;
}

}  // namespace legohar::test
